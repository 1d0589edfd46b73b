import { describe, expect, it } from "vitest";
import { checkKpiValue, kpiValueRange } from "./kpi-value-rules";

const availability = { code: "availability", unit: "%" };
const mttr = { code: "mttr", unit: "hours" };
const spares = { code: "spare_parts_inventory_value", unit: "CAD" };

describe("checkKpiValue", () => {
  it.each<[string, { code: string; unit: string }, string, string, null | "value" | "unit"]>([
    ["availability at 0", availability, "%", "0", null],
    ["availability at 100", availability, "%", "100", null],
    ["availability just above 100", availability, "%", "100.01", "value"],
    ["availability below 0", availability, "%", "-0.1", "value"],
    ["hours at 0", mttr, "hours", "0", null],
    ["negative hours", mttr, "hours", "-1", "value"],
    ["many hours", mttr, "hours", "8760.5", null],
    ["an amount", spares, "CAD", "2400000", null],
    ["a negative amount", spares, "CAD", "-5", "value"],
    ["wrong unit", mttr, "minutes", "5", "unit"],
    ["not a number", mttr, "hours", "abc", "value"],
  ])("%s", (_name, kpi, unit, value, problem) => {
    expect(checkKpiValue({ kpi, unit, value })?.field ?? null).toBe(problem);
  });

  it("names the range in the message", () => {
    expect(checkKpiValue({ kpi: availability, unit: "%", value: "101" })?.message).toBe(
      "availability is a percentage and must be between 0 and 100, got 101",
    );
    expect(checkKpiValue({ kpi: mttr, unit: "hours", value: "-2" })?.message).toBe("mttr is hours and must be ≥ 0, got -2");
  });

  it("a baseline's unit wins over the catalog's when given", () => {
    expect(checkKpiValue({ kpi: mttr, unit: "hours", value: "3", expectedUnit: "h" })?.field).toBe("unit");
    expect(checkKpiValue({ kpi: mttr, unit: "h", value: "3", expectedUnit: "h" })).toBeNull();
  });

  it("ranges by unit", () => {
    expect(kpiValueRange("%")).toEqual({ min: "0", max: "100" });
    expect(kpiValueRange("hours")).toEqual({ min: "0", max: null });
  });
});
