/**
 * The pricing engine's public API. Pure: plain data in, plain data out; no I/O, no clock.
 * Import from "@/lib/domain" (or the individual modules).
 */
export * from "./errors";
export * from "./money";
export * from "./period";
export * from "./catalog";

export { resolveEvent, matchesFilter, metricsForEventType } from "./rating/resolve-event";
export type { ResolvedEvent, MetricTarget, CreditTarget } from "./rating/resolve-event";
export { normalizeUsage, type RawUsage, type RawQuantity } from "./rating/normalize-usage";
export { UsageError, type UsageTotals } from "./rating/usage-totals";
export { validateUsageTotals } from "./rating/validate-usage";
export { rateUsage, type RatingScope } from "./rating/rate-usage";
export { overagePackages, rateOverage } from "./rating/rate-overage";
export { makeLine, formatUnitAmount, groupDigits, USAGE_LINE_KINDS, type InvoiceLine, type LineKind } from "./rating/line";

export { creditsForEvent, creditRulesFor } from "./credits/credits-for-event";
export { creditBalance, type Balance } from "./credits/credit-balance";

export { buildInvoicePreview, type InvoicePreview } from "./invoicing/build-invoice-preview";
export { acceptExtraLine, InvoiceLineError, type ExtraLine } from "./invoicing/extra-lines";
export {
  promotionApplies,
  checkPromotionRedeemable,
  checkPromotionForPlan,
  PromotionError,
} from "./invoicing/promotion-applies";
export { promotionLine } from "./invoicing/promotion-line";
export { taxLine } from "./invoicing/tax-line";
export { accruedUsageCharges, thresholdReached, previouslyBilledFrom } from "./invoicing/threshold-invoicing";

export { evaluateLimit, evaluateCountLimit, limitCap, type LimitDecision } from "./limits/evaluate-limit";
export { crossedThresholds, thresholdsFor } from "./limits/crossed-thresholds";
export { limitFor, includedFor } from "./limits/limit-for";

export {
  computeGainShare,
  GainShareError,
  type GainShareKpiInput,
  type GainShareKpiResult,
  type GainShareResult,
} from "./gain-share/compute-gain-share";
export {
  nextDunningStep,
  type DunningState,
  type DunningEvent,
  type DunningAction,
  type DunningStep,
} from "./dunning/next-dunning-step";
