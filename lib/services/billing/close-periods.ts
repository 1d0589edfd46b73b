/**
 * Period close: for every subscription period that has ended, one transaction prices it with the engine,
 * writes the numbered invoice and its lines, closes the period, opens the next one (applying a scheduled
 * plan change), and queues the "invoice issued" notification.
 *
 * Exactly once: the subscription row is locked FOR UPDATE SKIP LOCKED (an overlapping run skips it), the
 * period must still be open under that lock, and the unique (subscription, period, kind, sequence) index is
 * the backstop (a conflict rolls the transaction back quietly). Resumable: each subscription commits on its
 * own, so a crash after k leaves 1..k invoiced and the next run does the rest.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { rowsOf, type Db, type Tx } from "@/db/client";
import { subscriptionPeriods, subscriptions } from "@/db/schema";
import { pricePeriodInvoice } from "@/lib/domain/billing/price-period-invoice";
import { formatAmount } from "@/lib/domain/money";
import { periodAt } from "@/lib/domain/period";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { enqueueNotification } from "@/lib/services/notifications/enqueue";
import {
  claimApprovedGainShare,
  claimPendingAdjustments,
  loadCounters,
  loadInterimInvoices,
  loadPromotionGrants,
  loadSnapshotsForPeriods,
  loadTaxRates,
  loadTenantsBilling,
  taxRateFor,
  type PromotionGrant,
  type TenantBilling,
} from "./load-inputs";
import { AlreadyInvoiced, insertIssuedInvoice, type BillingConfig, type InvoiceRow } from "./insert-invoice";
import { billingConfigFromEnv } from "./billing-config";
import type { SnapshotRecord } from "@/lib/domain/billing/period-usage";
import type { TaxRate } from "@/lib/domain/catalog/types";

export interface DuePeriod {
  tenantId: string;
  subscriptionId: string;
  periodId: string;
  index: number;
  startsAt: Date;
  endsAt: Date;
  planVersionId: string;
}

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
  afterCommit?: (item: DuePeriod, invoice: InvoiceRow) => void | Promise<void>;
}

export interface CloseResult {
  closed: number;
  skipped: number;
  failed: number;
  invoices: { id: string; number: string; tenantId: string; total: string }[];
  errors: { item: string; message: string }[];
  hasMore: boolean;
}

/** Ended, still-open periods of active subscriptions, the oldest per subscription first. */
export async function findDuePeriods(db: Db | Tx, params: { now: Date; limit: number }): Promise<DuePeriod[]> {
  const result = await db.execute(sql`
    select * from (
      select distinct on (p.tenant_id, p.subscription_id)
        p.tenant_id, p.subscription_id, p.id as period_id, p.index, p.starts_at, p.ends_at, p.plan_version_id
      from subscription_periods p
      join subscriptions s on s.tenant_id = p.tenant_id and s.id = p.subscription_id and s.status = 'active'
      where p.status = 'open' and p.ends_at <= ${params.now.toISOString()}::timestamptz
      order by p.tenant_id, p.subscription_id, p.index
    ) due
    order by ends_at, subscription_id
    limit ${params.limit}`);
  return rowsOf<{
    tenant_id: string;
    subscription_id: string;
    period_id: string;
    index: number;
    starts_at: string | Date;
    ends_at: string | Date;
    plan_version_id: string;
  }>(result).map((r) => ({
    tenantId: r.tenant_id,
    subscriptionId: r.subscription_id,
    periodId: r.period_id,
    index: Number(r.index),
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    planVersionId: r.plan_version_id,
  }));
}

interface BatchContext {
  tenants: Map<string, TenantBilling>;
  promotions: Map<string, PromotionGrant>;
  snapshots: Map<string, SnapshotRecord[]>;
  taxRates: Map<string, TaxRate>;
}

export async function closeDuePeriods(db: Db, options: CloseOptions): Promise<CloseResult> {
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const config = options.config ?? billingConfigFromEnv();
  const due = await findDuePeriods(db, { now: options.now, limit: batchSize });
  const result: CloseResult = { closed: 0, skipped: 0, failed: 0, invoices: [], errors: [], hasMore: false };
  if (due.length === 0) return result;

  // Batch reads: one query per kind of fact for the whole batch.
  const subRows = await db
    .select({
      tenantId: subscriptions.tenantId,
      id: subscriptions.id,
      promotionCode: subscriptions.promotionCode,
      promotionStartIndex: subscriptions.promotionStartIndex,
    })
    .from(subscriptions)
    .where(sql`(${subscriptions.tenantId}, ${subscriptions.id}) in (${sql.join(
      due.map((d) => sql`(${d.tenantId}::uuid, ${d.subscriptionId}::uuid)`),
      sql`, `,
    )})`);
  const [tenantsMap, promotions, snapshots, taxRates] = await Promise.all([
    loadTenantsBilling(db, [...new Set(due.map((d) => d.tenantId))]),
    loadPromotionGrants(db, subRows),
    loadSnapshotsForPeriods(
      db,
      due.map((d) => ({ tenantId: d.tenantId, subscriptionId: d.subscriptionId, start: d.startsAt, end: d.endsAt })),
    ),
    loadTaxRates(db),
  ]);
  for (const id of new Set(due.map((d) => d.planVersionId))) await loadPlanVersion(db, id);
  const ctx: BatchContext = { tenants: tenantsMap, promotions, snapshots, taxRates };

  let next = 0;
  let aborted: unknown = null;
  const worker = async () => {
    while (aborted === null && next < due.length) {
      const item = due[next++];
      let invoice: InvoiceRow | null;
      try {
        invoice = await closeOne(db, item, ctx, options, config);
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

  const more = await findDuePeriods(db, { now: options.now, limit: 1 });
  result.hasMore = more.length > 0 && result.closed + result.skipped + result.failed > 0;
  return result;
}

async function closeOne(db: Db, item: DuePeriod, ctx: BatchContext, options: CloseOptions, config: BillingConfig): Promise<InvoiceRow | null> {
  try {
    return await db.transaction(async (tx) => {
      const [sub] = await tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.tenantId, item.tenantId), eq(subscriptions.id, item.subscriptionId), eq(subscriptions.status, "active")))
        .for("update", { skipLocked: true });
      if (!sub) return null; // another run holds it (or it was canceled)
      const [period] = await tx
        .select()
        .from(subscriptionPeriods)
        .where(and(eq(subscriptionPeriods.tenantId, item.tenantId), eq(subscriptionPeriods.id, item.periodId)))
        .for("update");
      if (!period || period.status !== "open" || period.endsAt.getTime() > options.now.getTime()) return null;

      const priced = await loadPlanVersion(tx, period.planVersionId);
      const currency = priced.plan.currency;
      const invoiceId = randomUUID();
      const counters = await loadCounters(tx, { tenantId: item.tenantId, periodId: item.periodId, lock: true });
      const adjustments = await claimPendingAdjustments(tx, { tenantId: item.tenantId, subscriptionId: item.subscriptionId, currency, invoiceId });
      const gainShareRuns = await claimApprovedGainShare(tx, { tenantId: item.tenantId, subscriptionId: item.subscriptionId, currency, invoiceId });
      const interimInvoices = priced.plan.threshold_invoicing
        ? await loadInterimInvoices(tx, { tenantId: item.tenantId, subscriptionId: item.subscriptionId, periodId: item.periodId })
        : [];
      const tenant = ctx.tenants.get(item.tenantId);
      const preview = pricePeriodInvoice({
        catalog: priced.catalog,
        plan: priced.plan,
        periodIndex: period.index,
        period: { start: period.startsAt, end: period.endsAt },
        counters,
        snapshots: ctx.snapshots.get(item.subscriptionId) ?? [],
        promotion: ctx.promotions.get(item.subscriptionId) ?? null,
        taxRate: taxRateFor(tenant, ctx.taxRates, priced.catalog),
        adjustments,
        gainShareRuns,
        interimInvoices,
      });

      await tx
        .update(subscriptionPeriods)
        .set({ status: "closed", closedAt: options.now })
        .where(and(eq(subscriptionPeriods.tenantId, item.tenantId), eq(subscriptionPeriods.id, item.periodId)));
      if (period.index === sub.currentPeriodIndex) await advanceSubscription(tx, sub, period.index + 1);

      if (options.beforeCommit) await options.beforeCommit(item);
      const invoice = await insertIssuedInvoice(tx, {
        id: invoiceId,
        tenantId: item.tenantId,
        subscriptionId: item.subscriptionId,
        periodId: item.periodId,
        kind: "period",
        preview,
        periodStart: period.startsAt,
        periodEnd: period.endsAt,
        planCode: priced.plan.code,
        planVersion: priced.plan.version,
        issuedAt: options.now,
        config,
      });
      if (tenant?.billingEmail) {
        await enqueueNotification(tx, invoiceIssuedNotification({ invoice, tenant }));
      }
      return invoice;
    });
  } catch (err) {
    if (err instanceof AlreadyInvoiced) return null;
    throw err;
  }
}

/**
 * Opens period `index` and points the subscription at it. A plan change scheduled for the boundary
 * (pending_plan_version_id) takes effect here: the new period is priced on the new version.
 */
export async function advanceSubscription(tx: Tx, sub: typeof subscriptions.$inferSelect, index: number): Promise<void> {
  const versionId = sub.pendingPlanVersionId ?? sub.planVersionId;
  const priced = await loadPlanVersion(tx, versionId);
  const p = periodAt({ anchor: sub.anchorAt, interval: priced.plan.interval, index });
  await tx
    .insert(subscriptionPeriods)
    .values({
      tenantId: sub.tenantId,
      subscriptionId: sub.id,
      index,
      startsAt: p.start,
      endsAt: p.end,
      planVersionId: versionId,
    })
    .onConflictDoNothing();
  if (sub.pendingPlanVersionId) {
    // A period row created earlier (e.g. by a seed) still carries the old version: move it to the new one.
    await tx
      .update(subscriptionPeriods)
      .set({ planVersionId: versionId })
      .where(
        and(
          eq(subscriptionPeriods.tenantId, sub.tenantId),
          eq(subscriptionPeriods.subscriptionId, sub.id),
          eq(subscriptionPeriods.index, index),
          eq(subscriptionPeriods.status, "open"),
        ),
      );
  }
  await tx
    .update(subscriptions)
    .set({
      planId: priced.planId,
      planVersionId: versionId,
      pendingPlanVersionId: null,
      currentPeriodIndex: index,
      currentPeriodStart: p.start,
      currentPeriodEnd: p.end,
    })
    .where(and(eq(subscriptions.tenantId, sub.tenantId), eq(subscriptions.id, sub.id)));
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
