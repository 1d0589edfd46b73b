/**
 * One period close in one transaction and four round trips (BEGIN, lock-and-read, write-everything, COMMIT):
 * the set-based statements below do what close-periods describes, so that a batch of thousands stays fast
 * and the invoice-number row is locked only for the final write and the commit.
 */
import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import type { CounterRecord } from "@/lib/domain/billing/period-usage";
import { pricePeriodInvoice, type ApprovedGainShareRun, type PendingAdjustment } from "@/lib/domain/billing/price-period-invoice";
import { toDecimal } from "@/lib/domain/money";
import { periodAt } from "@/lib/domain/period";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import type { BillingConfig } from "./insert-invoice";
import { loadInterimInvoices, taxRateFor, type PromotionGrant, type TenantBilling } from "./load-inputs";
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

export interface BatchContext {
  tenants: Map<string, TenantBilling>;
  promotions: Map<string, PromotionGrant>;
  snapshots: Map<string, SnapshotRecord[]>;
  taxRates: Map<string, TaxRate>;
}

export interface IssuedInvoice {
  id: string;
  tenantId: string;
  number: string;
  total: string;
  currency: string;
  status: string;
}

/** Rolls the transaction back quietly: another run closed this period first. */
class Skip extends Error {}

function json<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export async function closeOnePeriod(
  db: Db,
  item: DuePeriod,
  ctx: BatchContext,
  options: { now: Date; beforeCommit?: (item: DuePeriod) => void | Promise<void> },
  config: BillingConfig,
): Promise<IssuedInvoice | null> {
  const priced = await loadPlanVersion(db, item.planVersionId);
  const currency = priced.plan.currency;
  const invoiceId = randomUUID();
  const now = options.now.toISOString();
  const t = item.tenantId;
  const s = item.subscriptionId;
  const p = item.periodId;
  try {
    return await db.transaction(async (tx) => {
      // 1. Lock the subscription (skip it if another run holds it), lock the still-open period and its
      //    counters (in-flight ingestion commits first), and claim pending adjustments and approved
      //    gain-share runs for this invoice — all in one statement.
      const [read] = rowsOf<{ sub: unknown; counters: unknown; adjustments: unknown; gain_share: unknown }>(
        await tx.execute(sql`
          with s as (
            select id, current_period_index, plan_version_id, pending_plan_version_id, anchor_at
            from subscriptions where tenant_id = ${t}::uuid and id = ${s}::uuid and status = 'active'
            for update skip locked
          ), per as (
            select id from subscription_periods
            where tenant_id = ${t}::uuid and id = ${p}::uuid and status = 'open' and ends_at <= ${now}::timestamptz
              and exists (select 1 from s)
            for update
          ), c as (
            select metric_code as "metricCode", quantity::text as quantity, billable_quantity::text as "billableQuantity"
            from usage_counters where tenant_id = ${t}::uuid and period_id = ${p}::uuid and exists (select 1 from per)
            for update
          ), adj as (
            update adjustments set applied_invoice_id = ${invoiceId}::uuid
            where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid and applied_invoice_id is null and currency = ${currency}::text
              and exists (select 1 from per)
            returning id, description, amount::text as amount, currency, created_at
          ), gs as (
            update gain_share_runs set invoiced_invoice_id = ${invoiceId}::uuid
            where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid and status = 'approved' and invoiced_invoice_id is null
              and currency = ${currency}::text and exists (select 1 from per)
            returning id, period_start::text as "periodStart", period_end::text as "periodEnd", share_percent::text as "sharePercent",
              total_savings::text as "totalSavings", fee::text as fee, currency
          )
          select
            (select row_to_json(s) from s where exists (select 1 from per)) as sub,
            coalesce((select json_agg(c) from c), '[]'::json) as counters,
            coalesce((select json_agg(adj order by adj.created_at) from adj), '[]'::json) as adjustments,
            coalesce((select json_agg(gs order by gs."periodStart") from gs), '[]'::json) as gain_share`),
      );
      const sub = json<{
        id: string;
        current_period_index: number;
        plan_version_id: string;
        pending_plan_version_id: string | null;
        anchor_at: string;
      } | null>(read?.sub ?? null);
      if (!sub) throw new Skip();
      const counters = json<CounterRecord[]>(read.counters);
      const adjustments = json<(PendingAdjustment & { created_at?: string })[]>(read.adjustments);
      const gainShareRuns = json<ApprovedGainShareRun[]>(read.gain_share);
      const interimInvoices = priced.plan.threshold_invoicing ? await loadInterimInvoices(tx, { tenantId: t, subscriptionId: s, periodId: p }) : [];

      const tenant = ctx.tenants.get(t);
      const preview = pricePeriodInvoice({
        catalog: priced.catalog,
        plan: priced.plan,
        periodIndex: item.index,
        period: { start: item.startsAt, end: item.endsAt },
        counters,
        snapshots: ctx.snapshots.get(s) ?? [],
        promotion: ctx.promotions.get(s) ?? null,
        taxRate: taxRateFor(tenant, ctx.taxRates, priced.catalog),
        adjustments,
        gainShareRuns,
        interimInvoices,
      });

      // 2. Everything written in one statement; the number is allocated last, so the sequence row stays
      //    locked only until the commit that follows.
      const write = await buildWrite({ db: tx, item, ctx, options, config, invoiceId, preview, sub: { currentPeriodIndex: Number(sub.current_period_index), planVersionId: sub.plan_version_id, pendingPlanVersionId: sub.pending_plan_version_id, anchorAt: new Date(sub.anchor_at) }, gated: false });
      if (options.beforeCommit) await options.beforeCommit(item);
      const [written] = rowsOf<{ invoice: unknown }>(
        await tx.execute(sql`with ${write} select ${touchBeforeNumber(item.index === Number(sub.current_period_index), [])} as touched, (select row_to_json(inv) from inv) as invoice`),
      );
      const invoice = json<IssuedInvoice | null>(written?.invoice ?? null);
      if (!invoice) throw new Skip(); // the unique (subscription, period) index: roll back, number included
      return invoice;
    });
  } catch (err) {
    if (err instanceof Skip) return null;
    throw err;
  }
}

/** The "invoice issued" outbox message; `{number}` is filled in by the statement that allocates it. */
function issuedNote(p: { tenant: TenantBilling; currency: string; total: string; dueAt: Date; start: Date; end: Date }) {
  const total = `${p.total} ${p.currency}`;
  return {
    toEmail: p.tenant.billingEmail!,
    subject: `Your invoice {number} for ${total}`,
    bodyText:
      `Hello ${p.tenant.name},\n\nYour invoice {number} for the period ${p.start.toISOString().slice(0, 10)} to ` +
      `${p.end.toISOString().slice(0, 10)} has been issued.\nTotal: ${total}\nDue: ${p.dueAt.toISOString().slice(0, 10)}\n`,
  };
}

export interface SubState {
  currentPeriodIndex: number;
  planVersionId: string;
  pendingPlanVersionId: string | null;
  anchorAt: Date;
}

/**
 * The write half of a close as CTEs (close the period, open the next and move the subscription, allocate
 * the number, insert invoice, lines and notification). With `gated`, every write is conditioned on a `gate`
 * CTE the caller defines first, so a stale read makes the whole statement write nothing.
 */
export async function buildWrite(p: {
  db: Parameters<typeof loadPlanVersion>[0];
  item: DuePeriod;
  ctx: BatchContext;
  options: { now: Date };
  config: BillingConfig;
  invoiceId: string;
  preview: ReturnType<typeof pricePeriodInvoice>;
  sub: SubState;
  gated: boolean;
}) {
  const { item, ctx, config, invoiceId, preview, sub } = p;
  const t = item.tenantId;
  const s = item.subscriptionId;
  const now = p.options.now.toISOString();
  const g = p.gated ? sql` and exists (select 1 from gate)` : sql``;
  const priced = await loadPlanVersion(p.db, item.planVersionId);
  const currency = priced.plan.currency;
  const advancing = item.index === sub.currentPeriodIndex;
  const nextVersionId = sub.pendingPlanVersionId ?? sub.planVersionId;
  const nextPriced = advancing ? await loadPlanVersion(p.db, nextVersionId) : null;
  const next = nextPriced ? periodAt({ anchor: sub.anchorAt, interval: nextPriced.plan.interval, index: item.index + 1 }) : null;
  const settled = toDecimal(preview.total).isZero();
  const issuedAt = p.options.now;
  const dueAt = new Date(issuedAt.getTime() + config.dueDays * 86_400_000);
  const stripePending = config.stripeEnabled && !settled;
  const tenant = ctx.tenants.get(t);
  const lines = preview.lines.map((l, i) => ({
    position: i + 1,
    kind: l.kind,
    code: l.code,
    description: l.description,
    quantity: l.quantity,
    unit_amount: l.unit_amount,
    amount: l.amount,
    metadata: l.previously_billed ? { previously_billed: l.previously_billed } : {},
  }));
  const note = tenant?.billingEmail ? issuedNote({ tenant, currency, total: preview.total, dueAt, start: item.startsAt, end: item.endsAt }) : null;
  const year = issuedAt.getUTCFullYear();
  const advanceSql = next
    ? sql`, np as (
          insert into subscription_periods (tenant_id, subscription_id, index, starts_at, ends_at, plan_version_id)
          select ${t}::uuid, ${s}::uuid, ${item.index + 1}::int, ${next.start.toISOString()}::timestamptz, ${next.end.toISOString()}::timestamptz, ${nextVersionId}::uuid
          where true${g}
          on conflict do nothing
          returning 1
        ), npv as (
          update subscription_periods set plan_version_id = ${nextVersionId}::uuid
          where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid and index = ${item.index + 1}::int and status = 'open'
            and plan_version_id <> ${nextVersionId}::uuid${g}
          returning 1
        ), su as (
          update subscriptions set plan_id = ${nextPriced!.planId}::uuid, plan_version_id = ${nextVersionId}::uuid,
            pending_plan_version_id = null, current_period_index = ${item.index + 1}::int,
            current_period_start = ${next.start.toISOString()}::timestamptz, current_period_end = ${next.end.toISOString()}::timestamptz
          where tenant_id = ${t}::uuid and id = ${s}::uuid${g}
          returning 1
        )`
    : sql``;
  const noteSql = note
    ? sql`, nt as (
          insert into notifications (tenant_id, kind, to_email, subject, body_text, dedupe_key)
          select ${t}::uuid, 'invoice_issued', ${note.toEmail}::text, replace(${note.subject}::text, '{number}', inv.number),
            replace(${note.bodyText}::text, '{number}', inv.number), 'invoice_issued:' || inv.id
          from inv
          on conflict do nothing
        )`
    : sql``;
  return sql`cp as (
        update subscription_periods set status = 'closed', closed_at = ${now}::timestamptz
        where tenant_id = ${t}::uuid and id = ${item.periodId}::uuid${g}
        returning 1
      )${advanceSql}, n as (
        insert into invoice_number_sequences (prefix, year, last_value)
        select ${config.prefix}::text, ${year}::int, 1 where true${g}
        on conflict (prefix, year) do update set last_value = invoice_number_sequences.last_value + 1
        returning last_value
      ), inv as (
        insert into invoices (tenant_id, id, subscription_id, period_id, kind, sequence_in_period, number, status, currency,
          period_start, period_end, issued_at, due_at, subtotal, discount, tax, total, paid_at, plan_code, plan_version,
          stripe_sync_status, stripe_next_sync_at)
        select ${t}::uuid, ${invoiceId}::uuid, ${s}::uuid, ${item.periodId}::uuid, 'period', 0,
          ${config.prefix}::text || '-' || ${String(year)}::text || '-' || lpad(n.last_value::text, 6, '0'),
          ${settled ? "paid" : "open"}::text, ${currency}::text, ${item.startsAt.toISOString()}::timestamptz, ${item.endsAt.toISOString()}::timestamptz,
          ${now}::timestamptz, ${dueAt.toISOString()}::timestamptz, ${preview.subtotal}::numeric, ${preview.discount}::numeric,
          ${preview.tax}::numeric, ${preview.total}::numeric, ${settled ? now : null}::timestamptz, ${priced.plan.code}::text, ${priced.plan.version}::int,
          ${stripePending ? "pending" : "not_applicable"}::text, ${stripePending ? now : null}::timestamptz
        from n
        on conflict do nothing
        returning id, tenant_id as "tenantId", number, total::text as total, currency, status
      ), ln as (
        insert into invoice_lines (tenant_id, invoice_id, position, kind, code, description, quantity, unit_amount, amount, metadata)
        select ${t}::uuid, inv.id, x.position, x.kind, x.code, x.description, x.quantity, x.unit_amount, x.amount, x.metadata
        from inv, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
          as x(position int, kind text, code text, description text, quantity numeric, unit_amount numeric, amount numeric, metadata jsonb)
      )${noteSql}`;
}

/** What the batch read for each due period: the subscription as it was, counters, pending extras. */
export interface BatchFacts {
  sub: SubState;
  counters: CounterRecord[];
  adjustments: PendingAdjustment[];
  gainShareRuns: ApprovedGainShareRun[];
}

const fingerprint = (values: string[]) => [...values].sort().join(",");

/**
 * The fast path: priced from the batch's reads, written by ONE statement (its own transaction) that locks
 * the subscription, period and counters, checks that nothing it priced from changed since the batch read
 * (subscription state, counters, pending adjustments, gain-share runs), and only then writes. A change
 * makes the statement write nothing and the caller falls back to closeOnePeriod.
 * Returns the invoice, "skip" (another run holds or closed it) or "stale".
 */
export async function closeOnePeriodFast(
  db: Db,
  item: DuePeriod,
  ctx: BatchContext,
  facts: BatchFacts,
  options: { now: Date; beforeCommit?: (item: DuePeriod) => void | Promise<void> },
  config: BillingConfig,
): Promise<IssuedInvoice | "skip" | "stale"> {
  const priced = await loadPlanVersion(db, item.planVersionId);
  if (priced.plan.threshold_invoicing) return "stale"; // interim invoices are read under the lock: slow path
  const currency = priced.plan.currency;
  const t = item.tenantId;
  const s = item.subscriptionId;
  const adjustments = facts.adjustments.filter((a) => a.currency === currency);
  const gainShareRuns = facts.gainShareRuns.filter((g) => g.currency === currency);
  const tenant = ctx.tenants.get(t);
  const preview = pricePeriodInvoice({
    catalog: priced.catalog,
    plan: priced.plan,
    periodIndex: item.index,
    period: { start: item.startsAt, end: item.endsAt },
    counters: facts.counters,
    snapshots: ctx.snapshots.get(s) ?? [],
    promotion: ctx.promotions.get(s) ?? null,
    taxRate: taxRateFor(tenant, ctx.taxRates, priced.catalog),
    adjustments,
    gainShareRuns,
    interimInvoices: [],
  });
  const invoiceId = randomUUID();
  const write = await buildWrite({ db, item, ctx, options, config, invoiceId, preview, sub: facts.sub, gated: true });
  const uuids = (ids: string[]) => sql`array[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}]::uuid[]`;
  const fpCounters = fingerprint(facts.counters.map((c) => `${c.metricCode}=${c.billableQuantity}`));
  const fpAdjustments = fingerprint(facts.adjustments.filter((a) => a.currency === currency).map((a) => a.id));
  const fpGainShare = fingerprint(facts.gainShareRuns.filter((g) => g.currency === currency).map((g) => g.id));
  if (options.beforeCommit) await options.beforeCommit(item);
  const [row] = rowsOf<{ invoice: unknown; locked: boolean; open: boolean }>(
    await executePrepared(db, sql`
      with s as (
        select id from subscriptions
        where tenant_id = ${t}::uuid and id = ${s}::uuid and status = 'active'
          and current_period_index = ${facts.sub.currentPeriodIndex}::int and plan_version_id = ${facts.sub.planVersionId}::uuid
          and pending_plan_version_id is not distinct from ${facts.sub.pendingPlanVersionId}::uuid
        for update skip locked
      ), per as (
        select id from subscription_periods
        where tenant_id = ${t}::uuid and id = ${item.periodId}::uuid and status = 'open' and ends_at <= ${options.now.toISOString()}::timestamptz
          and exists (select 1 from s)
        for update
      ), cr as (
        select metric_code, billable_quantity from usage_counters
        where tenant_id = ${t}::uuid and period_id = ${item.periodId}::uuid and exists (select 1 from per)
        for update
      ), gate as (
        select 1 from per
        where not exists (select 1 from invoices where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid
                            and period_id = ${item.periodId}::uuid and kind = 'period' and sequence_in_period = 0)
          and (select coalesce(string_agg(metric_code || '=' || billable_quantity::text, ',' order by metric_code || '=' || billable_quantity::text collate "C"), '') from cr) = ${fpCounters}::text
          and (select coalesce(string_agg(id::text, ',' order by id::text collate "C"), '') from adjustments
               where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid and applied_invoice_id is null and currency = ${currency}::text) = ${fpAdjustments}::text
          and (select coalesce(string_agg(id::text, ',' order by id::text collate "C"), '') from gain_share_runs
               where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid and status = 'approved' and invoiced_invoice_id is null
                 and currency = ${currency}::text) = ${fpGainShare}::text
      ), adj as (
        update adjustments set applied_invoice_id = ${invoiceId}::uuid
        where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid and id = any(${uuids(adjustments.map((a) => a.id))})
          and applied_invoice_id is null and exists (select 1 from gate)
        returning 1
      ), gsu as (
        update gain_share_runs set invoiced_invoice_id = ${invoiceId}::uuid
        where tenant_id = ${t}::uuid and subscription_id = ${s}::uuid and id = any(${uuids(gainShareRuns.map((g) => g.id))})
          and invoiced_invoice_id is null and exists (select 1 from gate)
        returning 1
      ), ${write}
      select ${touchBeforeNumber(facts.sub.currentPeriodIndex === item.index, ["adj", "gsu"])} as touched,
        (select row_to_json(inv) from inv) as invoice, exists (select 1 from s) as locked, exists (select 1 from per) as open`),
  );
  const invoice = json<IssuedInvoice | null>(row?.invoice ?? null);
  if (invoice) return invoice;
  if (!row?.locked || !row.open) return "skip";
  return "stale";
}

/**
 * Runs a statement as a named prepared statement on the postgres driver (its text is the same for every
 * subscription of a batch, so the server plans it once per connection); PGlite runs it as usual.
 */
async function executePrepared(db: Db, query: SQL): Promise<unknown> {
  const client = (db as unknown as { $client?: { unsafe?: (q: string, p: unknown[], o: { prepare: boolean }) => Promise<unknown> } }).$client;
  const dialect = (db as unknown as { dialect?: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect;
  if (client && typeof client.unsafe === "function" && dialect) {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return client.unsafe(text, params, { prepare: true });
  }
  return db.execute(query);
}

/**
 * Reads the period/subscription writes before the invoice (and so the number) in the result row, so that
 * they run before the invoice-number row is locked: the lock is then held only for invoice, lines,
 * notification and the commit.
 */
function touchBeforeNumber(advancing: boolean, extra: string[]): SQL {
  const names = ["cp", ...(advancing ? ["np", "npv", "su"] : []), ...extra];
  return sql.raw(names.map((n) => `(select count(*) from ${n})`).join(" + "));
}
