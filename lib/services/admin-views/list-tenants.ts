/**
 * The operator's tenant table: plan, MRR, current-period overage (priced by the engine over stored
 * counters and snapshots), dunning state and open balance — batched: one query per kind of fact.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { invoices, subscriptionPeriods, subscriptions, tenants } from "@/db/schema";
import { pricePeriodInvoice } from "@/lib/domain/billing/price-period-invoice";
import { baseFeeOf } from "@/lib/domain/catalog/lookup";
import type { Plan } from "@/lib/domain/catalog/types";
import { formatAmount, sumDecimals, toDecimal, Decimal } from "@/lib/domain/money";
import { USAGE_LINE_KINDS } from "@/lib/domain/rating/line";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { loadCountersForPeriods, loadSnapshotsForPeriods } from "@/lib/services/billing/load-inputs";

export interface AdminTenantRow {
  tenantId: string;
  name: string;
  slug: string;
  locale: string;
  planCode: string | null;
  planName: string | null;
  currency: string | null;
  /** Base fee normalised to a month (30 days for day-based intervals). */
  mrr: string;
  /** Usage charges accrued so far in the open period (before tax and discounts). */
  overage: string;
  dunningState: string | null;
  openBalance: string;
  periodEnd: Date | null;
}

export interface AdminTenantTotals {
  currency: string;
  tenants: number;
  mrr: string;
  overage: string;
  openBalance: string;
}

export function monthlyBase(plan: Plan): Decimal {
  const base = toDecimal(baseFeeOf(plan));
  if (plan.interval.unit === "month") return base.dividedBy(plan.interval.count);
  return base.times(30).dividedBy(plan.interval.count);
}

export async function listTenantsForAdmin(db: DbOrTx): Promise<{ rows: AdminTenantRow[]; totals: AdminTenantTotals[]; pastDue: number }> {
  const rows = await db
    .select({ tenant: tenants, sub: subscriptions, period: subscriptionPeriods })
    .from(tenants)
    .leftJoin(subscriptions, and(eq(subscriptions.tenantId, tenants.id), eq(subscriptions.status, "active")))
    .leftJoin(
      subscriptionPeriods,
      and(
        eq(subscriptionPeriods.tenantId, subscriptions.tenantId),
        eq(subscriptionPeriods.subscriptionId, subscriptions.id),
        eq(subscriptionPeriods.index, subscriptions.currentPeriodIndex),
      ),
    )
    .orderBy(tenants.name)
    .limit(2000);
  const withPeriod = rows.filter((r) => r.sub && r.period);
  const [counters, snaps, balances] = await Promise.all([
    loadCountersForPeriods(db, withPeriod.map((r) => ({ tenantId: r.tenant.id, periodId: r.period!.id }))),
    loadSnapshotsForPeriods(
      db,
      withPeriod.map((r) => ({ tenantId: r.tenant.id, subscriptionId: r.sub!.id, start: r.period!.startsAt, end: r.period!.endsAt })),
    ),
    rows.length
      ? db
          .select({ tenantId: invoices.tenantId, balance: sql<string>`coalesce(sum(${invoices.total} - ${invoices.amountPaid}), 0)::text` })
          .from(invoices)
          .where(and(inArray(invoices.tenantId, rows.map((r) => r.tenant.id)), eq(invoices.status, "open"), sql`${invoices.kind} <> 'credit_note'`))
          .groupBy(invoices.tenantId)
      : Promise.resolve([]),
  ]);
  const balanceOf = new Map(balances.map((b) => [b.tenantId, b.balance]));

  const out: AdminTenantRow[] = [];
  for (const r of rows) {
    if (!r.sub || !r.period) {
      out.push({
        tenantId: r.tenant.id, name: r.tenant.name, slug: r.tenant.slug, locale: r.tenant.locale, planCode: null, planName: null,
        currency: null, mrr: "0", overage: "0", dunningState: null, openBalance: balanceOf.get(r.tenant.id) ?? "0", periodEnd: null,
      });
      continue;
    }
    const { plan, catalog } = await loadPlanVersion(db, r.period.planVersionId);
    const preview = pricePeriodInvoice({
      catalog,
      plan,
      periodIndex: r.period.index,
      period: { start: r.period.startsAt, end: r.period.endsAt },
      counters: counters.get(r.period.id) ?? [],
      snapshots: snaps.get(r.sub.id) ?? [],
      promotion: null,
      taxRate: null,
      adjustments: [],
      gainShareRuns: [],
      interimInvoices: [],
    });
    const overage = sumDecimals(preview.lines.filter((l) => USAGE_LINE_KINDS.includes(l.kind)).map((l) => l.amount));
    out.push({
      tenantId: r.tenant.id,
      name: r.tenant.name,
      slug: r.tenant.slug,
      locale: r.tenant.locale,
      planCode: plan.code,
      planName: plan.display_name,
      currency: plan.currency,
      mrr: formatAmount(monthlyBase(plan), plan.currency),
      overage: formatAmount(overage, plan.currency),
      dunningState: r.sub.dunningState,
      openBalance: formatAmount(balanceOf.get(r.tenant.id) ?? "0", plan.currency),
      periodEnd: r.period.endsAt,
    });
  }

  const byCurrency = new Map<string, AdminTenantTotals>();
  for (const row of out) {
    if (!row.currency) continue;
    const t = byCurrency.get(row.currency) ?? { currency: row.currency, tenants: 0, mrr: "0", overage: "0", openBalance: "0" };
    t.tenants++;
    t.mrr = toDecimal(t.mrr).plus(toDecimal(row.mrr)).toFixed();
    t.overage = toDecimal(t.overage).plus(toDecimal(row.overage)).toFixed();
    t.openBalance = toDecimal(t.openBalance).plus(toDecimal(row.openBalance)).toFixed();
    byCurrency.set(row.currency, t);
  }
  const pastDue = out.filter((r) => r.dunningState && r.dunningState !== "ok").length;
  return { rows: out, totals: [...byCurrency.values()], pastDue };
}
