import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { alerts, snapshots, tenants, usageCounters } from "@/db/schema";
import { baseFeeOf, findMetric } from "@/lib/domain/catalog/lookup";
import type { Plan } from "@/lib/domain/catalog/types";
import { toDecimal } from "@/lib/domain/money";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { getActiveSubscription } from "@/lib/services/subscriptions/subscriptions";

export interface QuotaLine {
  code: string;
  name: string;
  unit: string;
  kind: "credit_pool" | "metered" | "counted" | "dimensional";
  used: string;
  included: string | "unlimited";
  /** used / included × 100, null when unlimited or nothing is included. */
  percent: number | null;
  remaining: string | null;
}

export interface BillingOverview {
  tenant: { id: string; name: string; slug: string; locale: string };
  plan: { code: string; name: string; displayName: string; currency: string; baseFee: string; interval: Plan["interval"]; version: number };
  period: { index: number; start: Date; end: Date; daysLeft: number };
  quotas: QuotaLine[];
  alerts: { name: string; metricCode: string; thresholdPercent: number; firedAt: Date }[];
  dunningState: string;
  subscriptionId: string;
  periodId: string;
}

const DAY = 86_400_000;

/** What the /billing overview shows, read from counters and snapshots (never raw events). */
export async function getBillingOverview(db: DbOrTx, params: { tenantId: string; now: Date }): Promise<BillingOverview | null> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, params.tenantId));
  const active = await getActiveSubscription(db, params.tenantId);
  if (!tenant || !active) return null;
  const { subscription, period } = active;
  const { plan, catalog } = await loadPlanVersion(db, subscription.planVersionId);

  const counters = await db
    .select()
    .from(usageCounters)
    .where(and(eq(usageCounters.tenantId, tenant.id), eq(usageCounters.periodId, period.id)));
  const snaps = await db
    .select()
    .from(snapshots)
    .where(
      and(
        eq(snapshots.tenantId, tenant.id),
        eq(snapshots.subscriptionId, subscription.id),
        gte(snapshots.takenAt, period.startsAt),
        lt(snapshots.takenAt, period.endsAt),
      ),
    )
    .orderBy(desc(snapshots.takenOn));

  const quotas: QuotaLine[] = [];
  for (const c of plan.components) {
    if (c.kind === "base_fee") continue;
    let used = toDecimal(0);
    let name: string;
    let unit: string;
    let code: string;
    if (c.kind === "credit_pool") {
      code = c.code;
      name = c.name;
      unit = "credit";
      used = toDecimal(counters.find((x) => x.metricCode === c.code)?.billableQuantity ?? "0");
    } else {
      const metric = findMetric(catalog, c.metric);
      code = metric.code;
      name = metric.name;
      unit = metric.unit;
      if (metric.kind === "snapshot") {
        const ofMetric = snaps.filter((s) => s.metricCode === metric.code);
        used =
          metric.aggregation === "max"
            ? ofMetric.reduce((m, s) => (toDecimal(s.quantity).greaterThan(m) ? toDecimal(s.quantity) : m), toDecimal(0))
            : toDecimal(ofMetric[0]?.quantity ?? "0");
      } else {
        used = toDecimal(counters.find((x) => x.metricCode === metric.code)?.billableQuantity ?? "0");
      }
    }
    const included = c.kind === "dimensional" ? "unlimited" : c.included;
    const inc = included === "unlimited" ? null : toDecimal(included);
    quotas.push({
      code,
      name,
      unit,
      kind: c.kind,
      used: used.toFixed(),
      included,
      percent: inc && !inc.isZero() ? used.dividedBy(inc).times(100).toDecimalPlaces(1).toNumber() : null,
      remaining: inc ? (inc.greaterThan(used) ? inc.minus(used).toFixed() : "0") : null,
    });
  }

  const periodAlerts = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenant.id), eq(alerts.periodId, period.id)))
    .orderBy(desc(alerts.firedAt));

  return {
    tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug, locale: tenant.locale },
    plan: {
      code: plan.code,
      name: plan.name,
      displayName: plan.display_name,
      currency: plan.currency,
      baseFee: baseFeeOf(plan),
      interval: plan.interval,
      version: plan.version,
    },
    period: {
      index: period.index,
      start: period.startsAt,
      end: period.endsAt,
      daysLeft: Math.max(0, Math.ceil((period.endsAt.getTime() - params.now.getTime()) / DAY)),
    },
    quotas,
    alerts: periodAlerts.map((a) => ({ name: a.name, metricCode: a.metricCode, thresholdPercent: a.thresholdPercent, firedAt: a.firedAt })),
    dunningState: subscription.dunningState,
    subscriptionId: subscription.id,
    periodId: period.id,
  };
}
