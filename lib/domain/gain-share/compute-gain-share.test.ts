import { describe, expect, it } from "vitest";
import { computeGainShare, GainShareError, type GainShareKpiInput } from "./compute-gain-share";

const range = { min_percent: 10, max_percent: 20 };

// reliability-ai KPIs for one ENTERPRISE tenant
const kpis: GainShareKpiInput[] = [
  // (97.5 − 95.0) = 2.5 points × 20,000 = 50,000
  { kpi: "availability", direction: "higher", baseline: "95.0", actual: "97.5", value_per_unit: "20000" },
  // (460 − 400) = 60 h × 100 = 6,000
  { kpi: "mtbf", direction: "higher", baseline: "400", actual: "460", value_per_unit: "100" },
  // (8 − 6) = 2 h × 2,500 = 5,000
  { kpi: "mttr", direction: "lower", baseline: "8", actual: "6", value_per_unit: "2500" },
  // (1,200,000 − 1,150,000) = 50,000 × 0.25 carrying cost = 12,500
  { kpi: "spare_parts_inventory_value", direction: "lower", baseline: "1200000", actual: "1150000", value_per_unit: "0.25" },
  // (1,000 − 1,100) = −100 h × 60 = −6,000 (got worse)
  { kpi: "overtime_hours", direction: "lower", baseline: "1000", actual: "1100", value_per_unit: "60" },
];
// total = 50,000 + 6,000 + 5,000 + 12,500 − 6,000 = 67,500

describe("computeGainShare", () => {
  it("computes improvement and savings per KPI by direction", () => {
    const r = computeGainShare({ kpis, sharePercent: 15, range, currency: "CAD" });
    expect(r.kpis.map((k) => [k.kpi, k.improvement, k.savings])).toEqual([
      ["availability", "2.5", "50000"],
      ["mtbf", "60", "6000"],
      ["mttr", "2", "5000"],
      ["spare_parts_inventory_value", "50000", "12500"],
      ["overtime_hours", "-100", "-6000"],
    ]);
    expect(r.total_savings).toBe("67500");
  });

  it.each([
    [10, "6750.00"], // 67,500 × 10 %
    [15, "10125.00"],
    [20, "13500.00"],
    ["12.5", "8437.50"],
  ])("share %s %% → fee %s", (share, fee) => {
    expect(computeGainShare({ kpis, sharePercent: share, range, currency: "CAD" }).fee).toBe(fee);
  });

  it.each<[string, GainShareKpiInput[], string, string]>([
    ["negative total → no fee", [{ kpi: "mttr", direction: "lower", baseline: "6", actual: "8", value_per_unit: "2500" }], "-5000", "0.00"],
    ["no KPIs", [], "0", "0.00"],
    // 1 × 0.333 = 0.333 × 15 % = 0.04995 → 0.05
    ["fee rounded half-up", [{ kpi: "a", direction: "higher", baseline: "0", actual: "1", value_per_unit: "0.333" }], "0.333", "0.05"],
    // (1/3 improvement) 0.1 + 0.2 with exact decimals
    ["exact decimals", [{ kpi: "a", direction: "higher", baseline: "0.1", actual: "0.3", value_per_unit: "100" }], "20", "3.00"],
  ])("%s", (_name, input, total, fee) => {
    const r = computeGainShare({ kpis: input, sharePercent: 15, range, currency: "CAD" });
    expect(r.total_savings).toBe(total);
    expect(r.fee).toBe(fee);
  });

  it("zero-decimal currency", () => {
    // 1,000.5 × 10 % = 100.05 → ¥100
    const r = computeGainShare({
      kpis: [{ kpi: "a", direction: "higher", baseline: "0", actual: "1000.5", value_per_unit: "1" }],
      sharePercent: 10,
      range,
      currency: "JPY",
    });
    expect(r.fee).toBe("100");
  });

  it.each([
    ["9.99", "share_out_of_range"],
    ["20.01", "share_out_of_range"],
    ["0", "share_out_of_range"],
  ])("share %s %% is refused (%s)", (share, code) => {
    expect(() => computeGainShare({ kpis, sharePercent: share, range, currency: "CAD" })).toThrow(GainShareError);
    try {
      computeGainShare({ kpis, sharePercent: share, range, currency: "CAD" });
    } catch (error) {
      expect((error as GainShareError).code).toBe(code);
    }
  });

  it("a plan without gain-share refuses any run", () => {
    expect(() => computeGainShare({ kpis, sharePercent: 15, range: null, currency: "CAD" })).toThrow("this plan has no gain-share");
  });

  it("a KPI may appear once", () => {
    expect(() => computeGainShare({ kpis: [kpis[0], kpis[0]], sharePercent: 15, range, currency: "CAD" })).toThrow(/appears twice/);
  });
});
