/**
 * Sensible ranges for KPI values, by unit: a percentage lies in 0–100, hours and money amounts are never
 * negative. Pure: used by baselines, console entries and POST /api/kpis alike.
 */
import type { Kpi } from "../catalog/types";
import { isCurrencyCode, toDecimal, type DecimalInput } from "../money";

export type KpiValueProblem = { field: "value" | "unit"; message: string };

/** The range a KPI value must lie in, for its unit; `max` null = unbounded. */
export function kpiValueRange(unit: string): { min: string; max: string | null } {
  if (unit === "%") return { min: "0", max: "100" };
  return { min: "0", max: null };
}

/**
 * Null when `value` is a valid reading of `kpi` in `unit` (the unit must be the KPI's own, or the
 * baseline's when one is given); otherwise the problem, naming the range.
 */
export function checkKpiValue(params: { kpi: Pick<Kpi, "code" | "unit">; unit: string; value: DecimalInput; expectedUnit?: string }): KpiValueProblem | null {
  const expected = params.expectedUnit ?? params.kpi.unit;
  if (params.unit !== expected) {
    return { field: "unit", message: `${params.kpi.code} is measured in ${JSON.stringify(expected)}, not ${JSON.stringify(params.unit)}` };
  }
  let value;
  try {
    value = toDecimal(params.value);
  } catch {
    return { field: "value", message: "must be a decimal number" };
  }
  const range = kpiValueRange(expected);
  const what = expected === "%" ? "a percentage" : expected === "hours" ? "hours" : isCurrencyCode(expected) ? "an amount" : "a value";
  if (value.lessThan(range.min) || (range.max !== null && value.greaterThan(range.max))) {
    const bounds = range.max === null ? `≥ ${range.min}` : `between ${range.min} and ${range.max}`;
    return { field: "value", message: `${params.kpi.code} is ${what} and must be ${bounds}, got ${value.toFixed()}` };
  }
  return null;
}
