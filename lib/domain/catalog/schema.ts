/**
 * zod schema of a catalog file as written by an operator (the input form). Objects are strict:
 * a misspelt key is an error, not a silently ignored price.
 */
import { z } from "zod";
import {
  codeSchema,
  currencySchema,
  includedSchema,
  moneyPercentSchema,
  nameSchema,
  nonNegativeDecimal,
  positiveDecimal,
  thresholdPercentSchema,
} from "./schema-primitives";

export const intervalSchema = z.discriminatedUnion("unit", [
  z.strictObject({ unit: z.literal("month"), count: z.int().min(1).max(12).default(1) }),
  z.strictObject({ unit: z.literal("day"), count: z.int().min(1).max(366) }),
]);

const dimensionValue = z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: "expected a dimension value without ':'" });

export const metricSchema = z.strictObject({
  code: codeSchema,
  name: nameSchema,
  unit: nameSchema,
  description: z.string().optional(),
  kind: z.enum(["sum", "count", "snapshot"]),
  aggregation: z.enum(["latest", "max"]).optional(),
  event_types: z.array(codeSchema).default([]),
  filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  dimensions: z
    .array(
      z.strictObject({
        key: codeSchema,
        name: nameSchema.optional(),
        values: z.array(dimensionValue).min(1),
      }),
    )
    .default([]),
  breakdowns: z
    .array(
      z.strictObject({
        property: codeSchema,
        name: nameSchema.optional(),
        values: z.array(z.string().min(1)).optional(),
      }),
    )
    .default([]),
  corrections: z.boolean().default(false),
});

const rounding = z.enum(["exact", "up"]).default("exact");

export const componentSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("base_fee"),
    code: codeSchema.optional(),
    name: nameSchema.optional(),
    amount: nonNegativeDecimal,
  }),
  z.strictObject({
    kind: z.literal("metered"),
    code: codeSchema.optional(),
    name: nameSchema.optional(),
    metric: codeSchema,
    included: includedSchema.default("0"),
    unit_price: nonNegativeDecimal,
    per: positiveDecimal.default("1"),
    rounding,
  }),
  z.strictObject({
    kind: z.literal("credit_pool"),
    code: codeSchema,
    name: nameSchema.optional(),
    included: nonNegativeDecimal,
    price_per_credit: nonNegativeDecimal,
    credit_rules: z
      .array(
        z.strictObject({
          event_type: codeSchema,
          name: nameSchema.optional(),
          credits_per_unit: positiveDecimal,
          unit_label: nameSchema,
        }),
      )
      .min(1),
  }),
  z.strictObject({
    kind: z.literal("counted"),
    code: codeSchema.optional(),
    name: nameSchema.optional(),
    metric: codeSchema,
    included: includedSchema.default("0"),
    unit_price: nonNegativeDecimal,
    per: positiveDecimal.default("1"),
    rounding,
  }),
  z.strictObject({
    kind: z.literal("dimensional"),
    code: codeSchema.optional(),
    name: nameSchema.optional(),
    metric: codeSchema,
    prices: z.record(z.string(), nonNegativeDecimal),
  }),
]);

export const limitSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  z.strictObject({ kind: z.literal("soft") }),
  z.strictObject({
    kind: z.literal("soft_limit"),
    percent: z.number().min(100, { error: "expected a percentage of at least 100" }).max(10_000),
  }),
  z.strictObject({ kind: z.literal("hard"), quantity: nonNegativeDecimal.optional() }),
]);

export const alertThresholdSchema = z.union([
  thresholdPercentSchema,
  z.strictObject({
    percent: thresholdPercentSchema,
    code: codeSchema.optional(),
    metrics: z.array(codeSchema).min(1).optional(),
  }),
]);

export const dunningSchema = z.strictObject({
  grace_days: z.int().min(0).max(365),
  retry_days: z.array(z.int().min(1).max(365)).max(20),
  suspend_after_days: z.int().min(0).max(730),
});

export const gainShareSchema = z.strictObject({
  min_percent: z.number().min(0).max(100),
  max_percent: z.number().min(0).max(100),
  default_percent: z.number().min(0).max(100).optional(),
});

export const planSchema = z.strictObject({
  code: codeSchema,
  name: nameSchema,
  display_name: nameSchema.optional(),
  description: z.string().optional(),
  version: z.int().min(1).default(1),
  currency: currencySchema.optional(),
  interval: intervalSchema.optional(),
  features: z.array(nameSchema).default([]),
  components: z.array(componentSchema).min(1),
  limits: z.record(codeSchema, limitSchema).default({}),
  count_limits: z.record(codeSchema, z.int().min(0)).default({}),
  alert_thresholds: z.array(alertThresholdSchema).optional(),
  gain_share: gainShareSchema.nullable().default(null),
  threshold_invoicing: z.strictObject({ amount: positiveDecimal }).nullable().default(null),
  dunning: dunningSchema.optional(),
});

export const promotionSchema = z.strictObject({
  code: codeSchema,
  name: nameSchema,
  description: z.string().optional(),
  percent_off: moneyPercentSchema.optional(),
  amount_off: positiveDecimal.optional(),
  currency: currencySchema.optional(),
  applies_to: z.enum(["base_fee", "invoice"]),
  duration: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("once") }),
    z.strictObject({ kind: z.literal("repeating"), periods: z.int().min(1) }),
    z.strictObject({ kind: z.literal("forever") }),
  ]),
  plans: z.array(codeSchema).min(1).optional(),
  max_redemptions: z.int().min(1).optional(),
  expires_at: z.iso.datetime({ offset: true, error: "expected an ISO 8601 date-time" }).optional(),
});

export const taxRateSchema = z.strictObject({
  code: codeSchema,
  name: nameSchema,
  percent: nonNegativeDecimal.refine((s) => Number(s) <= 100, { error: "expected a percentage between 0 and 100" }),
  jurisdiction: nameSchema,
});

export const kpiSchema = z.strictObject({
  code: codeSchema,
  name: nameSchema,
  unit: nameSchema,
  direction: z.enum(["higher", "lower"]),
  description: z.string().optional(),
});

export const catalogSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "expected a lower-case catalog code" }),
  name: nameSchema,
  description: z.string().optional(),
  currency: currencySchema,
  default_plan: codeSchema.optional(),
  interval: intervalSchema.default({ unit: "month", count: 1 }),
  alert_thresholds: z.array(alertThresholdSchema).default([]),
  dunning: dunningSchema.default({ grace_days: 7, retry_days: [1, 3, 7], suspend_after_days: 14 }),
  metrics: z.array(metricSchema).default([]),
  plans: z.array(planSchema).min(1),
  promotions: z.array(promotionSchema).default([]),
  tax_rates: z.array(taxRateSchema).default([]),
  kpis: z.array(kpiSchema).default([]),
});

/** What an operator writes (TypeScript type for catalog files). */
export type CatalogInput = z.input<typeof catalogSchema>;
export type ParsedCatalogInput = z.output<typeof catalogSchema>;
export type ComponentInput = z.input<typeof componentSchema>;
export type PlanInput = z.input<typeof planSchema>;
