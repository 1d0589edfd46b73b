/**
 * Reads the stored facts a period invoice is priced from. Batch readers take many subscriptions at once
 * (one query each); per-period readers run inside the closing transaction, with row locks where a
 * concurrent writer could otherwise slip a change past the invoice.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "@/db/client";
import {
  adjustments,
  gainShareRuns,
  invoiceLines,
  invoices,
  memberships,
  promotionRedemptions,
  promotions,
  taxRates,
  tenants,
  users,
  usageCounters,
} from "@/db/schema";
import type { Catalog, Promotion, TaxRate } from "@/lib/domain/catalog/types";
import type { ApprovedGainShareRun, PendingAdjustment } from "@/lib/domain/billing/price-period-invoice";
import { utcDay, type CounterRecord, type SnapshotRecord } from "@/lib/domain/billing/period-usage";
import type { InvoiceLine, LineKind } from "@/lib/domain/rating/line";

export interface TenantBilling {
  id: string;
  name: string;
  slug: string;
  locale: string;
  billingEmail: string | null;
  taxRateCode: string | null;
  taxExempt: boolean;
}

export async function loadTenantsBilling(db: DbOrTx, tenantIds: string[]): Promise<Map<string, TenantBilling>> {
  const out = new Map<string, TenantBilling>();
  if (tenantIds.length === 0) return out;
  const rows = await db
    .select({
      id: tenants.id,
      name: tenants.name,
      slug: tenants.slug,
      locale: tenants.locale,
      billingEmail: tenants.billingEmail,
      taxRateCode: tenants.taxRateCode,
      taxExempt: tenants.taxExempt,
    })
    .from(tenants)
    .where(inArray(tenants.id, tenantIds));
  for (const r of rows) out.set(r.id, r);
  // No billing email: the first owner's address receives billing mail.
  const missing = rows.filter((r) => !r.billingEmail).map((r) => r.id);
  if (missing.length > 0) {
    const owners = await db
      .select({ tenantId: memberships.tenantId, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(inArray(memberships.tenantId, missing), eq(memberships.role, "owner")))
      .orderBy(asc(memberships.createdAt));
    for (const o of owners) {
      const t = out.get(o.tenantId);
      if (t && !t.billingEmail) t.billingEmail = o.email;
    }
  }
  return out;
}

/** The operator's active tax rates by code (a small table). */
export async function loadTaxRates(db: DbOrTx): Promise<Map<string, TaxRate>> {
  const rows = await db.select().from(taxRates).where(eq(taxRates.active, true));
  return new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, percent: r.percentage, jurisdiction: r.jurisdiction }]));
}

/** The tenant's tax rate: none when exempt or unassigned; the operator's table first, then the catalog's. */
export function taxRateFor(tenant: TenantBilling | undefined, rates: Map<string, TaxRate>, catalog: Catalog): TaxRate | null {
  if (!tenant || tenant.taxExempt || !tenant.taxRateCode) return null;
  return rates.get(tenant.taxRateCode) ?? catalog.tax_rates.find((t) => t.code === tenant.taxRateCode) ?? null;
}

export type PromotionGrant = { promotion: Promotion; startIndex: number };

/** Redeemed promotions per subscription id (the redemption's first period index is the promotion's period 0). */
export async function loadPromotionGrants(
  db: DbOrTx,
  subs: { tenantId: string; id: string; promotionCode: string | null; promotionStartIndex: number | null }[],
): Promise<Map<string, PromotionGrant>> {
  const out = new Map<string, PromotionGrant>();
  if (subs.length === 0) return out;
  const rows = await db
    .select({ subscriptionId: promotionRedemptions.subscriptionId, first: promotionRedemptions.firstPeriodIndex, definition: promotions.definition })
    .from(promotionRedemptions)
    .innerJoin(promotions, eq(promotions.id, promotionRedemptions.promotionId))
    .where(
      and(
        inArray(promotionRedemptions.tenantId, [...new Set(subs.map((s) => s.tenantId))]),
        inArray(promotionRedemptions.subscriptionId, subs.map((s) => s.id)),
      ),
    )
    .orderBy(asc(promotionRedemptions.redeemedAt));
  for (const r of rows) {
    // The latest redemption wins when a subscription redeemed several.
    out.set(r.subscriptionId, { promotion: r.definition as Promotion, startIndex: r.first });
  }
  const codes = subs.filter((s) => !out.has(s.id) && s.promotionCode).map((s) => s.promotionCode!);
  if (codes.length > 0) {
    const promos = await db.select().from(promotions).where(inArray(promotions.code, [...new Set(codes)]));
    const byCode = new Map(promos.map((p) => [p.code, p.definition as Promotion]));
    for (const s of subs) {
      if (out.has(s.id) || !s.promotionCode) continue;
      const p = byCode.get(s.promotionCode);
      if (p) out.set(s.id, { promotion: p, startIndex: s.promotionStartIndex ?? 0 });
    }
  }
  return out;
}

/**
 * Snapshots that can stand for each subscription's period: every one in [start, end) by day, plus the
 * latest one before the start per metric (a count carries forward). Two queries for the whole batch.
 */
export async function loadSnapshotsForPeriods(
  db: DbOrTx,
  items: { tenantId: string; subscriptionId: string; start: Date; end: Date }[],
): Promise<Map<string, SnapshotRecord[]>> {
  const out = new Map<string, SnapshotRecord[]>();
  if (items.length === 0) return out;
  for (const it of items) out.set(it.subscriptionId, []);
  const values = sql.join(
    items.map(
      (it) =>
        // ceil(end) as a day: a period ending at 14:00 still owns that day's midnight snapshot.
        sql`(${it.tenantId}::uuid, ${it.subscriptionId}::uuid, ${utcDay(it.start)}::date, ${firstDayNotIn(it)}::date)`,
    ),
    sql`, `,
  );
  const inPeriod = await db.execute(sql`
    select s.subscription_id, s.metric_code, s.taken_on::text as taken_on, s.quantity::text as quantity, s.breakdown
    from (values ${values}) as v(tenant_id, subscription_id, start_day, end_day)
    join snapshots s on s.tenant_id = v.tenant_id and s.subscription_id = v.subscription_id
      and s.taken_on >= v.start_day and s.taken_on < v.end_day`);
  const before = await db.execute(sql`
    select distinct on (s.subscription_id, s.metric_code)
      s.subscription_id, s.metric_code, s.taken_on::text as taken_on, s.quantity::text as quantity, s.breakdown
    from (values ${values}) as v(tenant_id, subscription_id, start_day, end_day)
    join snapshots s on s.tenant_id = v.tenant_id and s.subscription_id = v.subscription_id and s.taken_on < v.start_day
    order by s.subscription_id, s.metric_code, s.taken_on desc`);
  type Row = { subscription_id: string; metric_code: string; taken_on: string; quantity: string; breakdown: unknown };
  for (const r of [...rowsOf<Row>(inPeriod), ...rowsOf<Row>(before)]) {
    out.get(r.subscription_id)?.push({
      metricCode: r.metric_code,
      takenOn: r.taken_on,
      quantity: String(r.quantity),
      breakdown: (typeof r.breakdown === "string" ? JSON.parse(r.breakdown) : r.breakdown ?? {}) as Record<string, unknown>,
    });
  }
  return out;
}

/** The first UTC day whose midnight is at or after the period's end (exclusive bound of its snapshot days). */
function firstDayNotIn(p: { end: Date }): string {
  const day = utcDay(p.end);
  const midnight = Date.parse(`${day}T00:00:00.000Z`);
  return midnight >= p.end.getTime() ? day : utcDay(new Date(midnight + 86_400_000));
}

/** A period's counters; `lock` takes row locks so in-flight ingestion commits before the invoice reads them. */
export async function loadCounters(db: DbOrTx, params: { tenantId: string; periodId: string; lock?: boolean }): Promise<CounterRecord[]> {
  const q = db
    .select({ metricCode: usageCounters.metricCode, quantity: usageCounters.quantity, billableQuantity: usageCounters.billableQuantity })
    .from(usageCounters)
    .where(and(eq(usageCounters.tenantId, params.tenantId), eq(usageCounters.periodId, params.periodId)));
  return params.lock ? q.for("update") : q;
}

/** Counters of many periods at once (previews and threshold scans). */
export async function loadCountersForPeriods(
  db: DbOrTx,
  items: { tenantId: string; periodId: string }[],
): Promise<Map<string, CounterRecord[]>> {
  const out = new Map<string, CounterRecord[]>();
  if (items.length === 0) return out;
  for (const it of items) out.set(it.periodId, []);
  const rows = await db
    .select({
      periodId: usageCounters.periodId,
      metricCode: usageCounters.metricCode,
      quantity: usageCounters.quantity,
      billableQuantity: usageCounters.billableQuantity,
    })
    .from(usageCounters)
    .where(
      and(
        inArray(usageCounters.tenantId, [...new Set(items.map((i) => i.tenantId))]),
        inArray(usageCounters.periodId, items.map((i) => i.periodId)),
      ),
    );
  for (const r of rows) out.get(r.periodId)?.push({ metricCode: r.metricCode, quantity: r.quantity, billableQuantity: r.billableQuantity });
  return out;
}

export async function loadPendingAdjustments(db: DbOrTx, params: { tenantId: string; subscriptionId: string }): Promise<PendingAdjustment[]> {
  return db
    .select({ id: adjustments.id, description: adjustments.description, amount: adjustments.amount, currency: adjustments.currency })
    .from(adjustments)
    .where(
      and(eq(adjustments.tenantId, params.tenantId), eq(adjustments.subscriptionId, params.subscriptionId), isNull(adjustments.appliedInvoiceId)),
    )
    .orderBy(asc(adjustments.createdAt));
}

/** Marks the pending adjustments in `currency` as billed on `invoiceId` and returns exactly those. */
export async function claimPendingAdjustments(
  tx: DbOrTx,
  params: { tenantId: string; subscriptionId: string; currency: string; invoiceId: string },
): Promise<PendingAdjustment[]> {
  const rows = await tx
    .update(adjustments)
    .set({ appliedInvoiceId: params.invoiceId })
    .where(
      and(
        eq(adjustments.tenantId, params.tenantId),
        eq(adjustments.subscriptionId, params.subscriptionId),
        eq(adjustments.currency, params.currency),
        isNull(adjustments.appliedInvoiceId),
      ),
    )
    .returning({ id: adjustments.id, description: adjustments.description, amount: adjustments.amount, currency: adjustments.currency, createdAt: adjustments.createdAt });
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(({ createdAt: _c, ...a }) => a);
}

const gainShareColumns = {
  id: gainShareRuns.id,
  periodStart: gainShareRuns.periodStart,
  periodEnd: gainShareRuns.periodEnd,
  sharePercent: gainShareRuns.sharePercent,
  totalSavings: gainShareRuns.totalSavings,
  fee: gainShareRuns.fee,
  currency: gainShareRuns.currency,
};

export async function loadApprovedGainShare(db: DbOrTx, params: { tenantId: string; subscriptionId: string }): Promise<ApprovedGainShareRun[]> {
  return db
    .select(gainShareColumns)
    .from(gainShareRuns)
    .where(
      and(
        eq(gainShareRuns.tenantId, params.tenantId),
        eq(gainShareRuns.subscriptionId, params.subscriptionId),
        eq(gainShareRuns.status, "approved"),
        isNull(gainShareRuns.invoicedInvoiceId),
      ),
    )
    .orderBy(asc(gainShareRuns.periodStart));
}

/** Marks approved, un-invoiced gain-share runs as billed on `invoiceId` (exactly once) and returns them. */
export async function claimApprovedGainShare(
  tx: DbOrTx,
  params: { tenantId: string; subscriptionId: string; currency: string; invoiceId: string },
): Promise<ApprovedGainShareRun[]> {
  const rows = await tx
    .update(gainShareRuns)
    .set({ invoicedInvoiceId: params.invoiceId })
    .where(
      and(
        eq(gainShareRuns.tenantId, params.tenantId),
        eq(gainShareRuns.subscriptionId, params.subscriptionId),
        eq(gainShareRuns.status, "approved"),
        eq(gainShareRuns.currency, params.currency),
        isNull(gainShareRuns.invoicedInvoiceId),
      ),
    )
    .returning(gainShareColumns);
  return rows.sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0));
}

/** Lines of the period's interim (threshold) invoices that were not voided, grouped per invoice. */
export async function loadInterimInvoices(
  db: DbOrTx,
  params: { tenantId: string; subscriptionId: string; periodId: string },
): Promise<{ id: string; sequence: number; lines: InvoiceLine[] }[]> {
  const rows = await db
    .select({ invoiceId: invoices.id, sequence: invoices.sequenceInPeriod, line: invoiceLines })
    .from(invoices)
    .innerJoin(invoiceLines, and(eq(invoiceLines.tenantId, invoices.tenantId), eq(invoiceLines.invoiceId, invoices.id)))
    .where(
      and(
        eq(invoices.tenantId, params.tenantId),
        eq(invoices.subscriptionId, params.subscriptionId),
        eq(invoices.periodId, params.periodId),
        eq(invoices.kind, "threshold"),
        ne(invoices.status, "void"),
      ),
    )
    .orderBy(asc(invoices.sequenceInPeriod), asc(invoiceLines.position));
  const byId = new Map<string, { id: string; sequence: number; lines: InvoiceLine[] }>();
  for (const r of rows) {
    let inv = byId.get(r.invoiceId);
    if (!inv) byId.set(r.invoiceId, (inv = { id: r.invoiceId, sequence: r.sequence, lines: [] }));
    inv.lines.push({
      kind: r.line.kind as LineKind,
      code: r.line.code,
      description: r.line.description,
      quantity: r.line.quantity,
      unit_amount: r.line.unitAmount,
      amount: r.line.amount,
    });
  }
  return [...byId.values()];
}

/** Highest interim sequence used in the period, void ones included (sequence numbers are never reused). */
export async function maxInterimSequence(db: DbOrTx, params: { tenantId: string; subscriptionId: string; periodId: string }): Promise<number> {
  const [row] = await db
    .select({ max: sql<number | null>`max(${invoices.sequenceInPeriod})` })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, params.tenantId),
        eq(invoices.subscriptionId, params.subscriptionId),
        eq(invoices.periodId, params.periodId),
        eq(invoices.kind, "threshold"),
      ),
    );
  return Number(row?.max ?? 0);
}
