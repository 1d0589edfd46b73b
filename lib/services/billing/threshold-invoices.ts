/**
 * Threshold (progressive) invoicing: when the usage charges accrued in an open period, less what interim
 * invoices of that period already billed, reach the plan's threshold, an interim invoice bills them.
 * The period-end invoice later bills only the rest (pricePeriodInvoice nets interim lines out).
 *
 * A cheap in-memory scan over the batch's counters finds candidates; each interim invoice is then decided
 * and written in one transaction under the subscription's row lock, so overlapping runs cannot both issue.
 */
import { and, eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { subscriptionPeriods, subscriptions } from "@/db/schema";
import { periodUsageTotals } from "@/lib/domain/billing/period-usage";
import { priceInterimInvoice } from "@/lib/domain/billing/price-period-invoice";
import { accruedUsageCharges, previouslyBilledFrom, thresholdReached } from "@/lib/domain/invoicing/threshold-invoicing";
import { sumDecimals } from "@/lib/domain/money";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { enqueueNotification } from "@/lib/services/notifications/enqueue";
import { billingConfigFromEnv } from "./billing-config";
import { invoiceIssuedNotification, toDuePeriod, type DuePeriodRow } from "./close-periods";
import { AlreadyInvoiced, insertIssuedInvoice, type BillingConfig, type InvoiceRow } from "./insert-invoice";
import {
  loadCounters,
  loadCountersForPeriods,
  loadInterimInvoices,
  loadPromotionGrants,
  loadSnapshotsForPeriods,
  loadTaxRates,
  loadTenantsBilling,
  maxInterimSequence,
  taxRateFor,
} from "./load-inputs";

export interface ThresholdResult {
  scanned: number;
  issued: number;
  failed: number;
  invoices: { id: string; number: string; tenantId: string; total: string }[];
  errors: { item: string; message: string }[];
  hasMore: boolean;
}

interface Candidate {
  tenantId: string;
  subscriptionId: string;
  periodId: string;
  index: number;
  startsAt: Date;
  endsAt: Date;
  planVersionId: string;
}

/** Open, not yet ended periods whose plan version has threshold invoicing. */
async function findThresholdCandidates(db: Db, now: Date): Promise<Candidate[]> {
  const result = await db.execute(sql`
    select p.tenant_id, p.subscription_id, p.id as period_id, p.index, p.starts_at, p.ends_at, p.plan_version_id
    from subscriptions s
    join subscription_periods p on p.tenant_id = s.tenant_id and p.subscription_id = s.id and p.index = s.current_period_index
    join plan_versions pv on pv.id = p.plan_version_id
    where s.status = 'active' and p.status = 'open' and p.ends_at > ${now.toISOString()}::timestamptz
      and jsonb_typeof(pv.definition -> 'threshold_invoicing') = 'object'`);
  return rowsOf<DuePeriodRow>(result).map(toDuePeriod);
}

export async function issueThresholdInvoices(
  db: Db,
  options: { now: Date; batchSize?: number; config?: BillingConfig },
): Promise<ThresholdResult> {
  const config = options.config ?? billingConfigFromEnv();
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const result: ThresholdResult = { scanned: 0, issued: 0, failed: 0, invoices: [], errors: [], hasMore: false };
  const candidates = await findThresholdCandidates(db, options.now);
  result.scanned = candidates.length;
  if (candidates.length === 0) return result;

  const counters = await loadCountersForPeriods(db, candidates);
  const snapshots = await loadSnapshotsForPeriods(
    db,
    candidates.map((c) => ({ tenantId: c.tenantId, subscriptionId: c.subscriptionId, start: c.startsAt, end: c.endsAt })),
  );
  // Accrued ≥ threshold is necessary (interim invoices only lower what is pending): filter before locking.
  const over: Candidate[] = [];
  for (const c of candidates) {
    const priced = await loadPlanVersion(db, c.planVersionId);
    const usage = periodUsageTotals({
      catalog: priced.catalog,
      plan: priced.plan,
      counters: counters.get(c.periodId) ?? [],
      snapshots: snapshots.get(c.subscriptionId) ?? [],
      period: { start: c.startsAt, end: c.endsAt },
    });
    try {
      const accrued = accruedUsageCharges({ catalog: priced.catalog, plan: priced.plan, usage });
      if (thresholdReached({ plan: priced.plan, accrued })) over.push(c);
    } catch (err) {
      result.failed++;
      result.errors.push({ item: `${c.subscriptionId}#${c.index}`, message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (over.length === 0) return result;
  const batch = over.slice(0, batchSize);
  result.hasMore = over.length > batch.length;

  const [tenants, taxRates, subRows] = await Promise.all([
    loadTenantsBilling(db, [...new Set(batch.map((c) => c.tenantId))]),
    loadTaxRates(db),
    db
      .select({
        tenantId: subscriptions.tenantId,
        id: subscriptions.id,
        promotionCode: subscriptions.promotionCode,
        promotionStartIndex: subscriptions.promotionStartIndex,
      })
      .from(subscriptions)
      .where(sql`${subscriptions.id} in (${sql.join(batch.map((c) => sql`${c.subscriptionId}::uuid`), sql`, `)})`),
  ]);
  const promotions = await loadPromotionGrants(db, subRows);

  for (const c of batch) {
    try {
      const invoice = await db.transaction(async (tx): Promise<InvoiceRow | null> => {
        const [sub] = await tx
          .select({ id: subscriptions.id, index: subscriptions.currentPeriodIndex })
          .from(subscriptions)
          .where(and(eq(subscriptions.tenantId, c.tenantId), eq(subscriptions.id, c.subscriptionId), eq(subscriptions.status, "active")))
          .for("update", { skipLocked: true });
        if (!sub || sub.index !== c.index) return null;
        const [period] = await tx
          .select({ status: subscriptionPeriods.status })
          .from(subscriptionPeriods)
          .where(and(eq(subscriptionPeriods.tenantId, c.tenantId), eq(subscriptionPeriods.id, c.periodId)));
        if (!period || period.status !== "open") return null;
        const priced = await loadPlanVersion(tx, c.planVersionId);
        const periodCounters = await loadCounters(tx, { tenantId: c.tenantId, periodId: c.periodId, lock: true });
        const interim = await loadInterimInvoices(tx, c);
        const usage = periodUsageTotals({
          catalog: priced.catalog,
          plan: priced.plan,
          counters: periodCounters,
          snapshots: snapshots.get(c.subscriptionId) ?? [],
          period: { start: c.startsAt, end: c.endsAt },
        });
        const accrued = accruedUsageCharges({ catalog: priced.catalog, plan: priced.plan, usage });
        const billed = sumDecimals(Object.values(previouslyBilledFrom(interim, priced.plan.currency)));
        if (!thresholdReached({ plan: priced.plan, accrued, alreadyInvoiced: billed })) return null;
        const preview = priceInterimInvoice({
          catalog: priced.catalog,
          plan: priced.plan,
          periodIndex: c.index,
          period: { start: c.startsAt, end: c.endsAt },
          counters: periodCounters,
          snapshots: snapshots.get(c.subscriptionId) ?? [],
          promotion: promotions.get(c.subscriptionId) ?? null,
          taxRate: taxRateFor(tenants.get(c.tenantId), taxRates, priced.catalog),
          adjustments: [],
          gainShareRuns: [],
          interimInvoices: interim,
        });
        const sequence = (await maxInterimSequence(tx, c)) + 1;
        const inv = await insertIssuedInvoice(tx, {
          tenantId: c.tenantId,
          subscriptionId: c.subscriptionId,
          periodId: c.periodId,
          kind: "threshold",
          sequenceInPeriod: sequence,
          preview,
          periodStart: c.startsAt,
          periodEnd: options.now, // an interim invoice covers usage accrued up to now
          planCode: priced.plan.code,
          planVersion: priced.plan.version,
          issuedAt: options.now,
          config,
        });
        const tenant = tenants.get(c.tenantId);
        if (tenant?.billingEmail) await enqueueNotification(tx, invoiceIssuedNotification({ invoice: inv, tenant }));
        return inv;
      });
      if (invoice) {
        result.issued++;
        result.invoices.push({ id: invoice.id, number: invoice.number, tenantId: invoice.tenantId, total: invoice.total });
      }
    } catch (err) {
      if (err instanceof AlreadyInvoiced) continue;
      result.failed++;
      result.errors.push({ item: `${c.subscriptionId}#${c.index}`, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}
