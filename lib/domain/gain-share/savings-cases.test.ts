/** Table-driven savings cases of SPEC §7 (issue 7), beside helper-1's compute-gain-share tests. */
import { describe, expect, it } from "vitest";
import { computeGainShare, type GainShareKpiInput } from "./compute-gain-share";

const range = { min_percent: 10, max_percent: 20 };
const higher = (kpi: string, baseline: string, actual: string, v: string): GainShareKpiInput => ({ kpi, direction: "higher", baseline, actual, value_per_unit: v });
const lower = (kpi: string, baseline: string, actual: string, v: string): GainShareKpiInput => ({ kpi, direction: "lower", baseline, actual, value_per_unit: v });

describe("gain-share savings table", () => {
  it.each<[string, GainShareKpiInput[], string, string, string]>([
    // name, KPIs, share %, total savings, fee
    ["higher is better: actual above baseline saves", [higher("availability", "94", "96.5", "12000")], "15", "30000", "4500.00"],
    ["higher is better: actual below baseline costs", [higher("mtbf", "310", "300", "95")], "15", "-950", "0.00"],
    ["lower is better: actual below baseline saves", [lower("mttr", "6.5", "5.25", "1800")], "15", "2250", "337.50"],
    ["lower is better: actual above baseline costs", [lower("overtime_hours", "1850", "1900", "62")], "15", "-3100", "0.00"],
    [
      "a negative KPI offsets the others",
      [higher("availability", "94", "95", "12000"), lower("overtime_hours", "1850", "1950", "62")], // 12,000 − 6,200
      "10",
      "5800",
      "580.00",
    ],
    [
      "a negative KPI larger than the rest → fee 0",
      [higher("availability", "94", "94.1", "12000"), lower("overtime_hours", "1850", "1950", "62")], // 1,200 − 6,200
      "20",
      "-5000",
      "0.00",
    ],
    [
      "all negative → fee 0",
      [higher("availability", "94", "93", "12000"), lower("mttr", "6.5", "7", "1800"), lower("spare_parts_inventory_value", "2400000", "2500000", "0.06")],
      "20",
      "-18900",
      "0.00",
    ],
    ["no change → fee 0", [higher("availability", "94", "94", "12000")], "15", "0", "0.00"],
    ["share at the lower bound", [lower("mttr", "6.5", "5.5", "1800")], "10", "1800", "180.00"],
    ["share at the upper bound", [lower("mttr", "6.5", "5.5", "1800")], "20", "1800", "360.00"],
    ["fractional savings rounded once on the fee", [lower("spare_parts_inventory_value", "2400000", "2379001", "0.06")], "15", "1259.94", "188.99"],
  ])("%s", (_name, kpis, share, total, fee) => {
    const r = computeGainShare({ kpis, sharePercent: share, range, currency: "CAD" });
    expect(r.total_savings).toBe(total);
    expect(r.fee).toBe(fee);
  });

  it.each([["9.99"], ["20.01"], ["9"], ["21"], ["-10"]])("share %s %% just outside the 10–20 range is refused, naming the range", (share) => {
    expect(() => computeGainShare({ kpis: [lower("mttr", "6.5", "5.5", "1800")], sharePercent: share, range, currency: "CAD" })).toThrow(
      /outside the plan's range 10–20%/,
    );
  });
});
