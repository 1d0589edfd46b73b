/**
 * Raw usage (as typed into the quote CLI or a credit calculator) → normalized UsageTotals.
 * Keys may be metric codes, credit-pool codes, or credit event types in event units
 * ({"LLM_token_usage": 1500000} burns 1.5 M credits at 1 credit per unit). Dimensional metrics take
 * an object keyed by dimension values joined with ':' in the catalog's dimension order.
 */
import { dimensionCells } from "../catalog/dimensions";
import { componentFor, pricedCodes } from "../catalog/lookup";
import type { Catalog, Plan } from "../catalog/types";
import { creditRulesFor, creditsForEvent } from "../credits/credits-for-event";
import { toDecimal, type Decimal } from "../money";
import { UsageError, type UsageTotals } from "./usage-totals";

export type RawQuantity = string | number;
export type RawUsage = Record<string, RawQuantity | Record<string, RawQuantity>>;

function quantityOf(where: string, value: unknown): Decimal {
  let d: Decimal | null = null;
  if (typeof value === "string" || typeof value === "number") {
    try {
      d = toDecimal(value);
    } catch {
      d = null;
    }
  }
  if (d === null || d.isNegative()) {
    throw new UsageError("invalid_usage_quantity", `usage "${where}": expected a non-negative number, got ${JSON.stringify(value)}`, {
      key: where,
    });
  }
  return d;
}

function add(target: Record<string, string>, key: string, amount: Decimal): void {
  target[key] = (target[key] ? toDecimal(target[key]).plus(amount) : amount).toFixed();
}

export function normalizeUsage(params: { catalog: Catalog; plan: Plan; raw: RawUsage }): UsageTotals {
  const { catalog, plan, raw } = params;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new UsageError("invalid_usage_quantity", "usage must be a JSON object keyed by metric code or event type");
  }
  const metrics: Record<string, string> = {};
  const dimensional: Record<string, Record<string, string>> = {};
  const credits: Record<string, string> = {};
  const byEvent: Record<string, Record<string, string>> = {};

  for (const [key, value] of Object.entries(raw)) {
    const component = componentFor(plan, key);
    if (component?.kind === "dimensional") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new UsageError("invalid_usage_quantity", `usage "${key}": expected an object keyed by dimension values, e.g. {"${dimensionCells(catalog.metrics.find((m) => m.code === component.metric)!)[0]}": 2}`, { key });
      }
      const metric = catalog.metrics.find((m) => m.code === component.metric)!;
      const cells = dimensionCells(metric);
      dimensional[key] ??= {};
      for (const [cell, q] of Object.entries(value)) {
        if (!cells.includes(cell)) {
          throw new UsageError(
            "unknown_dimension",
            `unknown dimension "${cell}" for metric ${key} (expected ${metric.dimensions.map((d) => d.key).join(":")}; known: ${cells.join(", ")})`,
            { key, cell },
          );
        }
        add(dimensional[key], cell, quantityOf(`${key}.${cell}`, q));
      }
      continue;
    }
    if (component) {
      const target = component.kind === "credit_pool" ? credits : metrics;
      add(target, key, quantityOf(key, value));
      continue;
    }
    const rules = creditRulesFor({ plan, eventType: key });
    if (rules.length > 0) {
      const q = quantityOf(key, value);
      for (const { pool, rule } of rules) {
        const burned = toDecimal(creditsForEvent({ rule, quantity: q }));
        add(credits, pool.code, burned);
        byEvent[pool.code] ??= {};
        add(byEvent[pool.code], key, burned);
      }
      continue;
    }
    const eventTypes = plan.components.flatMap((c) => (c.kind === "credit_pool" ? c.credit_rules.map((r) => r.event_type) : []));
    const inCatalog = catalog.metrics.some((m) => m.code === key);
    throw new UsageError(
      "unknown_usage_key",
      `unknown usage key "${key}"${inCatalog ? ` (metric not priced by plan ${plan.code})` : ""} for plan ${plan.code} of catalog ${catalog.code} ` +
        `(known: ${[...pricedCodes(plan), ...eventTypes].join(", ")})`,
      { key },
    );
  }
  const usage: UsageTotals = { metrics, dimensional, credits };
  if (Object.keys(byEvent).length > 0) usage.credits_by_event_type = byEvent;
  return usage;
}
