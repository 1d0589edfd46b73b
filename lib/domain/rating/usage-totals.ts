/**
 * Normalized usage totals of one period — the input of rating. Quantities are decimal strings.
 *
 *   metrics:    { [metricCode]: "1050" }                          sum, count and snapshot metrics
 *   dimensional:{ [metricCode]: { "medium:production": "2" } }    values joined by ':' in dimension order
 *   credits:    { [poolCode]: "1200000" }                         credits burned in the period
 *   credits_by_event_type: { [poolCode]: { [eventType]: "1500" } } optional, informational
 */
import { DomainError } from "../errors";

export type UsageTotals = {
  metrics?: Record<string, string>;
  dimensional?: Record<string, Record<string, string>>;
  credits?: Record<string, string>;
  credits_by_event_type?: Record<string, Record<string, string>>;
};

export class UsageError extends DomainError {
  constructor(code: "unknown_usage_key" | "unknown_dimension" | "invalid_usage_quantity", message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
