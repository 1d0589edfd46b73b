/** Checks normalized usage totals against a plan: every key priced by the plan, every quantity ≥ 0. */
import { dimensionCells } from "../catalog/dimensions";
import { componentFor, pricedCodes } from "../catalog/lookup";
import type { Catalog, Plan } from "../catalog/types";
import { toDecimal } from "../money";
import { UsageError, type UsageTotals } from "./usage-totals";

function checkQuantity(where: string, value: unknown): void {
  let ok = false;
  try {
    ok = typeof value === "string" || typeof value === "number" ? !toDecimal(value).isNegative() : false;
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new UsageError("invalid_usage_quantity", `usage ${where}: expected a non-negative decimal, got ${JSON.stringify(value)}`, {
      key: where,
    });
  }
}

function unknownKey(plan: Plan, key: string, section: string): UsageError {
  return new UsageError(
    "unknown_usage_key",
    `unknown usage key "${key}" (${section}) for plan ${plan.code} (known: ${pricedCodes(plan).join(", ")})`,
    { key },
  );
}

export function validateUsageTotals(params: { catalog: Catalog; plan: Plan; usage: UsageTotals }): void {
  const { catalog, plan, usage } = params;
  for (const [key, value] of Object.entries(usage.metrics ?? {})) {
    const c = componentFor(plan, key);
    if (!c || c.kind === "credit_pool" || c.kind === "dimensional") throw unknownKey(plan, key, "metric");
    checkQuantity(key, value);
  }
  for (const [key, cells] of Object.entries(usage.dimensional ?? {})) {
    const c = componentFor(plan, key);
    if (!c || c.kind !== "dimensional") throw unknownKey(plan, key, "dimensional metric");
    const metric = catalog.metrics.find((m) => m.code === c.metric);
    const known = metric ? dimensionCells(metric) : [];
    for (const [cell, value] of Object.entries(cells ?? {})) {
      if (!known.includes(cell)) {
        throw new UsageError(
          "unknown_dimension",
          `unknown dimension "${cell}" for metric ${key} (expected ${metric?.dimensions.map((d) => d.key).join(":")}; known: ${known.join(", ")})`,
          { key, cell },
        );
      }
      checkQuantity(`${key}.${cell}`, value);
    }
  }
  for (const [key, value] of Object.entries(usage.credits ?? {})) {
    const c = componentFor(plan, key);
    if (!c || c.kind !== "credit_pool") throw unknownKey(plan, key, "credit pool");
    checkQuantity(key, value);
  }
}
