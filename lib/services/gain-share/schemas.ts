/** Input schemas shared by the console's server actions and POST /api/kpis (strict: unknown fields rejected). */
import { z } from "zod";
import { isDecimalString } from "@/lib/domain/money";

const decimal = (what: string) =>
  z.union([z.string().trim(), z.number().finite()]).transform((v, ctx) => {
    const s = typeof v === "number" ? String(v) : v;
    if (!isDecimalString(s)) {
      ctx.addIssue({ code: "custom", message: `${what} must be a decimal number such as 12.5` });
      return z.NEVER;
    }
    return s;
  });

const isoDate = z.iso.date({ message: "must be a date YYYY-MM-DD" });
/** A month, YYYY-MM. */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");

export const baselineInputSchema = z.strictObject({
  kpi: z.string().trim().min(1, "choose a KPI").max(64),
  baseline_value: decimal("baseline value"),
  unit: z.string().trim().min(1, "required").max(16),
  value_per_unit: decimal("value per unit"),
  direction: z.enum(["higher", "lower"], { message: "must be higher or lower" }),
  effective_from: isoDate,
});
export type BaselineInput = z.output<typeof baselineInputSchema>;

export const measurementInputSchema = z.strictObject({
  kpi: z.string().trim().min(1, "required").max(64),
  period: monthSchema,
  value: decimal("value"),
  unit: z.string().trim().min(1, "required").max(16),
});
export type MeasurementInput = z.output<typeof measurementInputSchema>;

/** POST /api/kpis: one measurement with its idempotency key. */
export const kpiApiBodySchema = measurementInputSchema.extend({
  idempotency_key: z.string().min(1, "required").max(255, "at most 255 characters"),
});
export type KpiApiBody = z.output<typeof kpiApiBodySchema>;

export const createRunSchema = z.strictObject({
  tenant_id: z.uuid("choose a tenant"),
  period: monthSchema,
  share_percent: decimal("share percent"),
});
export type CreateRunInput = z.output<typeof createRunSchema>;

export const decideRunSchema = z.strictObject({
  tenant_id: z.uuid(),
  run_id: z.uuid(),
  decision: z.enum(["approved", "rejected"]),
  comment: z.string().trim().min(3, "say why, in a few words").max(2000),
});
export type DecideRunInput = z.output<typeof decideRunSchema>;

/** First and next month of "YYYY-MM" as dates. */
export function monthBounds(period: string): { start: string; end: string } {
  const [y, m] = period.split("-").map(Number);
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 1));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}
