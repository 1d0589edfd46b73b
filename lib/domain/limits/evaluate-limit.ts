/**
 * Admission of usage against a metric's limit (SPEC §3.5). All-or-nothing per increment:
 *   none        → always admitted
 *   soft        → admitted; flagged "over_included" beyond the included quantity
 *   soft_limit  → admitted up to P % of included, rejected beyond (HTTP 429)
 *   hard        → rejected beyond the limit quantity (default: the included quantity) (HTTP 422)
 * For snapshot metrics pass usedBefore "0" and the snapshot value as increment.
 */
import type { Included, Limit } from "../catalog/types";
import { toDecimal, type DecimalInput } from "../money";

export type LimitDecision = {
  admitted: boolean;
  kind: Limit["kind"];
  /** within: ≤ included; over_included: accepted beyond included; rejected: refused. */
  status: "within" | "over_included" | "rejected";
  /** Largest total the limit admits (null = no cap). */
  cap: string | null;
  /** Total after this increment if admitted; the unchanged total if rejected. */
  used_after: string;
};

export function limitCap(params: { limit: Limit; included: Included }): string | null {
  const { limit, included } = params;
  if (limit.kind === "none" || limit.kind === "soft") return null;
  if (limit.kind === "hard" && limit.quantity !== null) return toDecimal(limit.quantity).toFixed();
  if (included === "unlimited") return null;
  if (limit.kind === "hard") return toDecimal(included).toFixed();
  return toDecimal(included).times(limit.percent).dividedBy(100).toFixed();
}

export function evaluateLimit(params: {
  limit: Limit;
  included: Included;
  usedBefore: DecimalInput;
  increment: DecimalInput;
}): LimitDecision {
  const { limit, included } = params;
  const before = toDecimal(params.usedBefore);
  const after = before.plus(toDecimal(params.increment));
  const cap = limitCap({ limit, included });
  if (cap !== null && after.greaterThan(toDecimal(cap))) {
    return { admitted: false, kind: limit.kind, status: "rejected", cap, used_after: before.toFixed() };
  }
  const over = included !== "unlimited" && after.greaterThan(toDecimal(included));
  return { admitted: true, kind: limit.kind, status: over ? "over_included" : "within", cap, used_after: after.toFixed() };
}

/** A bound on a count (sites per tenant): adding `adding` to `current` must stay ≤ max. */
export function evaluateCountLimit(params: { max: number | null | undefined; current: number; adding?: number }): {
  admitted: boolean;
  max: number | null;
  count_after: number;
} {
  const after = params.current + (params.adding ?? 1);
  const max = params.max ?? null;
  if (max !== null && after > max) return { admitted: false, max, count_after: params.current };
  return { admitted: true, max, count_after: after };
}
