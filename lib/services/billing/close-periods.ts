/**
 * Period close: for every subscription period that has ended, one transaction prices it with the engine,
 * writes the numbered invoice and its lines, closes the period, opens the next one (applying a scheduled
 * plan change), and queues the "invoice issued" notification.
 *
 * Exactly once: the subscription row is locked FOR UPDATE SKIP LOCKED (an overlapping run skips it), the
 * period must still be open under that lock, and the unique (subscription, period, kind, sequence) index is
 * the backstop (a conflict rolls the transaction back quietly). Resumable: each subscription commits on its
 * own, so a crash after k leaves 1..k invoiced and the next run does the rest.
 *
 * Speed: each batch reads its facts with one query per kind (counters, snapshots, adjustments, gain-share,
 * tenants, promotions); each close is then one prepared statement that locks, re-checks those facts and
 * writes (closeOnePeriodFast). If anything changed since the batch read, the close falls back to the locked
 * read-then-write transaction (closeOnePeriod). Both price through pricePeriodInvoice.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Db, type Tx } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { formatAmount } from "@/lib/domain/money";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { loadBatchFacts } from "./load-batch-facts";
import { loadPromotionGrants, loadSnapshotsForPeriods, loadTaxRates, loadTenantsBilling, type TenantBilling } from "./load-inputs";
import type { BillingConfig, InvoiceRow } from "./insert-invoice";
import { closeOnePeriod, closeOnePeriodFast, type BatchContext, type DuePeriod, type IssuedInvoice } from "./close-one";
import { billingConfigFromEnv } from "./billing-config";

export type { DuePeriod, IssuedInvoice } from "./close-one";

export interface CloseOptions {
  now: Date;
  /** Periods handled by this call (bounded work per cron call). */
  batchSize?: number;
  /** Parallel transactions (Postgres); 1 on PGlite. */
  concurrency?: number;
  config?: BillingConfig;
  /** Test hook: runs inside each transaction just before commit; throwing rolls that one back. */
  beforeCommit?: (item: DuePeriod) => void | Promise<void>;
  /** Test hook: runs after each commit; throwing aborts the run (a crash after k subscriptions). */
  afterCommit?: (item: DuePeriod, invoice: IssuedInvoice) => void | Promise<void>;
}

export interface CloseResult {
  closed: number;
  skipped: number;
  failed: number;
  /** Closes written by the one-statement fast path vs. the locked fallback (something changed meanwhile). */
  paths: { fast: number; locked: number };
  invoices: { id: string; number: string; tenantId: string; total: string }[];
  errors: { item: string; message: string }[];
  hasMore: boolean;
}

/** A period row as the due-period queries select it (snake case, from raw SQL). */
export interface DuePeriodRow {
  tenant_id: string;
  subscription_id: string;
  period_id: string;
  index: number;
  starts_at: string | Date;
  ends_at: string | Date;
  plan_version_id: string;
}

export function toDuePeriod(r: DuePeriodRow): DuePeriod {
  return {
    tenantId: r.tenant_id,
    subscriptionId: r.subscription_id,
    periodId: r.period_id,
    index: Number(r.index),
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    planVersionId: r.plan_version_id,
  };
}

/**
 * Ended, still-open periods of active subscriptions whose late-event grace has passed, the oldest per
 * subscription first.
 */
export async function findDuePeriods(
  db: Db | Tx,
  params: { now: Date; limit: number; lateGraceMinutes?: number },
): Promise<DuePeriod[]> {
  const closeBefore = new Date(params.now.getTime() - (params.lateGraceMinutes ?? 0) * 60_000);
  const result = await db.execute(sql`
    select * from (
      select distinct on (p.tenant_id, p.subscription_id)
        p.tenant_id, p.subscription_id, p.id as period_id, p.index, p.starts_at, p.ends_at, p.plan_version_id
      from subscription_periods p
      join subscriptions s on s.tenant_id = p.tenant_id and s.id = p.subscription_id and s.status = 'active'
      where p.status = 'open' and p.ends_at <= ${closeBefore.toISOString()}::timestamptz
      order by p.tenant_id, p.subscription_id, p.index
    ) due
    order by ends_at, subscription_id
    limit ${params.limit}`);
  return rowsOf<DuePeriodRow>(result).map(toDuePeriod);
}

export async function closeDuePeriods(db: Db, options: CloseOptions): Promise<CloseResult> {
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const config = options.config ?? billingConfigFromEnv();
  const due = await findDuePeriods(db, { now: options.now, limit: batchSize, lateGraceMinutes: config.lateGraceMinutes });
  const result: CloseResult = { closed: 0, skipped: 0, failed: 0, paths: { fast: 0, locked: 0 }, invoices: [], errors: [], hasMore: false };
  if (due.length === 0) return result;

  // Batch reads: one query per kind of fact for the whole batch.
  const subRows = await db
    .select({
      tenantId: subscriptions.tenantId,
      id: subscriptions.id,
      promotionCode: subscriptions.promotionCode,
      promotionStartIndex: subscriptions.promotionStartIndex,
      currentPeriodIndex: subscriptions.currentPeriodIndex,
      planVersionId: subscriptions.planVersionId,
      pendingPlanVersionId: subscriptions.pendingPlanVersionId,
      anchorAt: subscriptions.anchorAt,
    })
    .from(subscriptions)
    .where(sql`(${subscriptions.tenantId}, ${subscriptions.id}) in (${sql.join(
      due.map((d) => sql`(${d.tenantId}::uuid, ${d.subscriptionId}::uuid)`),
      sql`, `,
    )})`);
  const [tenantsMap, promotions, snapshots, taxRates, facts] = await Promise.all([
    loadTenantsBilling(db, [...new Set(due.map((d) => d.tenantId))]),
    loadPromotionGrants(db, subRows),
    loadSnapshotsForPeriods(
      db,
      due.map((d) => ({ tenantId: d.tenantId, subscriptionId: d.subscriptionId, start: d.startsAt, end: d.endsAt })),
    ),
    loadTaxRates(db),
    loadBatchFacts(db, due, subRows),
  ]);
  for (const id of new Set(due.map((d) => d.planVersionId))) await loadPlanVersion(db, id);
  const ctx: BatchContext = { tenants: tenantsMap, promotions, snapshots, taxRates };

  let next = 0;
  let aborted: unknown = null;
  const worker = async () => {
    while (aborted === null && next < due.length) {
      const item = due[next++];
      let invoice: IssuedInvoice | null;
      try {
        const f = facts.get(item.periodId);
        const fast = f ? await closeOnePeriodFast(db, item, ctx, f, options, config) : "stale";
        // Something changed since the batch read (or the plan needs interim invoices): the locked path.
        if (fast === "stale") {
          invoice = await closeOnePeriod(db, item, ctx, options, config);
          if (invoice) result.paths.locked++;
        } else if (fast !== "skip") {
          invoice = fast;
          result.paths.fast++;
        } else invoice = null;
      } catch (err) {
        // One subscription's failure (bad data, a hook) is logged; the others still close.
        result.failed++;
        result.errors.push({ item: `${item.subscriptionId}#${item.index}`, message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      if (!invoice) {
        result.skipped++;
        continue;
      }
      result.closed++;
      result.invoices.push({ id: invoice.id, number: invoice.number, tenantId: invoice.tenantId, total: invoice.total });
      if (options.afterCommit) {
        try {
          await options.afterCommit(item, invoice);
        } catch (err) {
          aborted = err; // a crash after this commit: stop the whole run
          return;
        }
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, due.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (aborted !== null) throw aborted;

  const more = await findDuePeriods(db, { now: options.now, limit: 1, lateGraceMinutes: config.lateGraceMinutes });
  result.hasMore = more.length > 0 && result.closed + result.skipped + result.failed > 0;
  return result;
}

export function invoiceIssuedNotification(params: { invoice: InvoiceRow; tenant: TenantBilling }) {
  const { invoice, tenant } = params;
  const total = `${formatAmount(invoice.total, invoice.currency)} ${invoice.currency}`;
  const due = invoice.dueAt ? invoice.dueAt.toISOString().slice(0, 10) : "on receipt";
  const what = invoice.kind === "threshold" ? "interim invoice" : invoice.kind === "credit_note" ? "credit note" : "invoice";
  return {
    tenantId: invoice.tenantId,
    kind: "invoice_issued",
    toEmail: tenant.billingEmail!,
    subject: `Your ${what} ${invoice.number} for ${total}`,
    bodyText:
      `Hello ${tenant.name},\n\nYour ${what} ${invoice.number} for the period ` +
      `${invoice.periodStart.toISOString().slice(0, 10)} to ${invoice.periodEnd.toISOString().slice(0, 10)} has been issued.\n` +
      `Total: ${total}\nStatus: ${invoice.status}\nDue: ${due}\n`,
    dedupeKey: `invoice_issued:${invoice.id}`,
  };
}
