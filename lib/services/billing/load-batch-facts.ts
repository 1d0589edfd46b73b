import { sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "@/db/client";
import type { CounterRecord } from "@/lib/domain/billing/period-usage";
import type { ApprovedGainShareRun, PendingAdjustment } from "@/lib/domain/billing/price-period-invoice";
import type { BatchFacts, DuePeriod } from "./close-one";

/**
 * One query each for the whole batch: counters of every due period, pending adjustments and approved,
 * un-invoiced gain-share runs of every subscription. Keyed by period id. Values are the database's own text
 * forms, so the close statement can check them unchanged.
 */
export async function loadBatchFacts(
  db: DbOrTx,
  due: DuePeriod[],
  subs: { tenantId: string; id: string; currentPeriodIndex: number; planVersionId: string; pendingPlanVersionId: string | null; anchorAt: Date }[],
): Promise<Map<string, BatchFacts>> {
  const out = new Map<string, BatchFacts>();
  if (due.length === 0) return out;
  const periodKeys = sql.join(due.map((d) => sql`(${d.tenantId}::uuid, ${d.periodId}::uuid)`), sql`, `);
  const subKeys = sql.join(due.map((d) => sql`(${d.tenantId}::uuid, ${d.subscriptionId}::uuid)`), sql`, `);
  const [counters, adjustments, gainShare] = await Promise.all([
    db.execute(sql`
      select c.period_id, c.metric_code, c.quantity::text as quantity, c.billable_quantity::text as billable
      from (values ${periodKeys}) as v(tenant_id, period_id)
      join usage_counters c on c.tenant_id = v.tenant_id and c.period_id = v.period_id`),
    db.execute(sql`
      select a.subscription_id, a.id, a.description, a.amount::text as amount, a.currency
      from (values ${subKeys}) as v(tenant_id, subscription_id)
      join adjustments a on a.tenant_id = v.tenant_id and a.subscription_id = v.subscription_id and a.applied_invoice_id is null
      order by a.created_at`),
    db.execute(sql`
      select g.subscription_id, g.id, g.period_start::text as period_start, g.period_end::text as period_end,
        g.share_percent::text as share_percent, g.total_savings::text as total_savings, g.fee::text as fee, g.currency
      from (values ${subKeys}) as v(tenant_id, subscription_id)
      join gain_share_runs g on g.tenant_id = v.tenant_id and g.subscription_id = v.subscription_id
        and g.status = 'approved' and g.invoiced_invoice_id is null
      order by g.period_start`),
  ]);
  const countersBy = new Map<string, CounterRecord[]>();
  for (const r of rowsOf<{ period_id: string; metric_code: string; quantity: string; billable: string }>(counters)) {
    const list = countersBy.get(r.period_id) ?? [];
    list.push({ metricCode: r.metric_code, quantity: r.quantity, billableQuantity: r.billable });
    countersBy.set(r.period_id, list);
  }
  const adjBy = new Map<string, PendingAdjustment[]>();
  for (const r of rowsOf<{ subscription_id: string; id: string; description: string; amount: string; currency: string }>(adjustments)) {
    const list = adjBy.get(r.subscription_id) ?? [];
    list.push({ id: r.id, description: r.description, amount: r.amount, currency: r.currency });
    adjBy.set(r.subscription_id, list);
  }
  const gsBy = new Map<string, ApprovedGainShareRun[]>();
  type G = { subscription_id: string; id: string; period_start: string; period_end: string; share_percent: string; total_savings: string; fee: string; currency: string };
  for (const r of rowsOf<G>(gainShare)) {
    const list = gsBy.get(r.subscription_id) ?? [];
    list.push({ id: r.id, periodStart: r.period_start, periodEnd: r.period_end, sharePercent: r.share_percent, totalSavings: r.total_savings, fee: r.fee, currency: r.currency });
    gsBy.set(r.subscription_id, list);
  }
  const subBy = new Map(subs.map((s) => [s.id, s]));
  for (const d of due) {
    const sub = subBy.get(d.subscriptionId);
    if (!sub) continue;
    out.set(d.periodId, {
      sub: { currentPeriodIndex: sub.currentPeriodIndex, planVersionId: sub.planVersionId, pendingPlanVersionId: sub.pendingPlanVersionId, anchorAt: sub.anchorAt },
      counters: countersBy.get(d.periodId) ?? [],
      adjustments: adjBy.get(d.subscriptionId) ?? [],
      gainShareRuns: gsBy.get(d.subscriptionId) ?? [],
    });
  }
  return out;
}
