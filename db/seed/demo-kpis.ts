import type { Db } from "@/db/client";
import { kpiBaselines, kpiMeasurements } from "@/db/schema";
import type { Catalog } from "@/lib/domain/catalog/types";

// Baseline, value of one unit of improvement, and the monthly trend of the demo's improvement programme.
const DEMO_KPI: Record<string, { baseline: number; valuePerUnit: string; step: number; decimals: number }> = {
  availability: { baseline: 94.0, valuePerUnit: "12000", step: 0.32, decimals: 2 },
  mtbf: { baseline: 310, valuePerUnit: "95", step: 9, decimals: 1 },
  mttr: { baseline: 6.5, valuePerUnit: "1800", step: -0.22, decimals: 2 },
  spare_parts_inventory_value: { baseline: 2_400_000, valuePerUnit: "0.06", step: -21_000, decimals: 0 },
  overtime_hours: { baseline: 1_850, valuePerUnit: "62", step: -38, decimals: 0 },
};

/** A year of monthly KPI measurements against baselines set a year ago (the gain-share demo). */
export async function writeDemoKpis(db: Db, params: { tenantId: string; catalog: Catalog; now: Date; authorId: string }) {
  const start = new Date(Date.UTC(params.now.getUTCFullYear() - 1, params.now.getUTCMonth(), 1));
  const baselines: (typeof kpiBaselines.$inferInsert)[] = [];
  const measurements: (typeof kpiMeasurements.$inferInsert)[] = [];
  for (const kpi of params.catalog.kpis) {
    const demo = DEMO_KPI[kpi.code];
    if (!demo) continue;
    baselines.push({
      tenantId: params.tenantId,
      kpiCode: kpi.code,
      baselineValue: String(demo.baseline),
      unit: kpi.unit,
      valuePerUnit: demo.valuePerUnit,
      direction: kpi.direction,
      effectiveFrom: start.toISOString().slice(0, 10),
      createdBy: params.authorId,
    });
    for (let m = 0; m < 12; m++) {
      const month = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1));
      // Improvement grows month by month, with a wobble (one bad month for realism).
      const wobble = m === 4 ? -1.5 : Math.sin(m * 1.7) * 0.35;
      const value = demo.baseline + demo.step * (m + 1 + wobble);
      measurements.push({
        tenantId: params.tenantId,
        kpiCode: kpi.code,
        periodMonth: month.toISOString().slice(0, 10),
        value: value.toFixed(demo.decimals),
        unit: kpi.unit,
        source: "seed",
        author: "demo seed",
      });
    }
  }
  if (baselines.length) await db.insert(kpiBaselines).values(baselines);
  if (measurements.length) await db.insert(kpiMeasurements).values(measurements);
  return { baselines: baselines.length, measurements: measurements.length };
}
