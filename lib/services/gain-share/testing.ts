/** Test set-up for gain-share: an ENTERPRISE tenant with baselines and a month of measurements, an operator. */
import type { Db } from "@/db/client";
import { operatorAdmins } from "@/db/schema";
import { createTenantWithSubscription, createUser } from "@/db/seed/fixtures";
import type { GainShareActor } from "./audit";
import { createBaseline } from "./baselines";
import { recordMeasurement } from "./measurements";

let n = 0;
const DAY = 86_400_000;

export async function operator(db: Db, label = "op"): Promise<GainShareActor> {
  const user = await createUser(db, { email: `${label}-${process.pid}-${++n}@meterline.test`, name: label, password: "x-password-1" });
  await db.insert(operatorAdmins).values({ userId: user.id });
  return { kind: "operator_admin", userId: user.id, label: user.email };
}

/** ENTERPRISE (10–20 %) tenant; baselines from 2026-01-01; March 2026 measurements: total savings 67,500 CAD. */
export async function gainShareTenant(db: Db, p: { actor: GainShareActor; plan?: string; now?: Date; anchorAt?: Date; measurements?: boolean }) {
  const now = p.now ?? new Date("2026-04-20T00:00:00Z");
  const fixture = await createTenantWithSubscription(db, {
    catalog: "reliability-ai",
    plan: p.plan ?? "ENTERPRISE",
    slug: `gs-${process.pid}-${Date.now().toString(36)}-${++n}`,
    anchorAt: p.anchorAt ?? new Date(now.getTime() - 5 * DAY),
    now,
  });
  if (p.plan && p.plan !== "ENTERPRISE") return { ...fixture, now, baselineIds: {} as Record<string, string> };
  const kpis = [
    // (97.5 − 95) × 20,000 = 50,000
    { kpi: "availability", unit: "%", baseline_value: "95", value_per_unit: "20000", direction: "higher" as const, actual: "97.5" },
    // (460 − 400) × 100 = 6,000
    { kpi: "mtbf", unit: "hours", baseline_value: "400", value_per_unit: "100", direction: "higher" as const, actual: "460" },
    // (8 − 6) × 2,500 = 5,000
    { kpi: "mttr", unit: "hours", baseline_value: "8", value_per_unit: "2500", direction: "lower" as const, actual: "6" },
    // (1,200,000 − 1,150,000) × 0.25 = 12,500
    { kpi: "spare_parts_inventory_value", unit: "CAD", baseline_value: "1200000", value_per_unit: "0.25", direction: "lower" as const, actual: "1150000" },
    // (1,000 − 1,100) × 60 = −6,000
    { kpi: "overtime_hours", unit: "hours", baseline_value: "1000", value_per_unit: "60", direction: "lower" as const, actual: "1100" },
  ];
  const baselineIds: Record<string, string> = {};
  for (const k of kpis) {
    const b = await createBaseline(db, {
      tenantId: fixture.tenantId,
      actor: p.actor,
      input: { kpi: k.kpi, unit: k.unit, baseline_value: k.baseline_value, value_per_unit: k.value_per_unit, direction: k.direction, effective_from: "2026-01-01" },
    });
    baselineIds[k.kpi] = b.id;
    if (p.measurements !== false) {
      await recordMeasurement(db, {
        tenantId: fixture.tenantId,
        actor: p.actor,
        source: "console",
        input: { kpi: k.kpi, period: "2026-03", value: k.actual, unit: k.unit },
        now,
      });
    }
  }
  return { ...fixture, now, baselineIds };
}
