import { sql } from "drizzle-orm";
import { date, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, decimal, id, money, tenantId, ts } from "./_columns";

export const kpiBaselines = pgTable(
  "kpi_baselines",
  {
    tenantId: tenantId(),
    id: id(),
    kpiCode: text("kpi_code").notNull(),
    baselineValue: decimal("baseline_value").notNull(),
    unit: text("unit").notNull(),
    /** Currency value of one unit of improvement, in the plan's currency. */
    valuePerUnit: decimal("value_per_unit").notNull(),
    direction: text("direction", { enum: ["higher", "lower"] }).notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("kpi_baselines_effective_uq").on(t.tenantId, t.kpiCode, t.effectiveFrom),
  ],
);

export const kpiMeasurements = pgTable(
  "kpi_measurements",
  {
    tenantId: tenantId(),
    id: id(),
    kpiCode: text("kpi_code").notNull(),
    /** First day of the measured month. */
    periodMonth: date("period_month", { mode: "string" }).notNull(),
    value: decimal("value").notNull(),
    unit: text("unit").notNull(),
    source: text("source", { enum: ["api", "console", "seed"] }).notNull(),
    author: text("author").notNull(),
    idempotencyKey: text("idempotency_key"),
    bodyHash: text("body_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("kpi_measurements_idempotency_uq").on(t.tenantId, t.idempotencyKey),
    index("kpi_measurements_kpi_month_idx").on(t.tenantId, t.kpiCode, t.periodMonth),
  ],
);

export const gainShareRuns = pgTable(
  "gain_share_runs",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid("subscription_id").notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    sharePercent: money("share_percent").notNull(),
    currency: text("currency").notNull(),
    /** Every input used: baselines and measurements with their ids and values. */
    inputs: jsonb("inputs").notNull(),
    /** Per-KPI improvement and savings. */
    breakdown: jsonb("breakdown").notNull(),
    totalSavings: money("total_savings").notNull(),
    fee: money("fee").notNull(),
    status: text("status", { enum: ["pending_approval", "approved", "rejected"] }).notNull().default("pending_approval"),
    createdBy: uuid("created_by"),
    decidedBy: uuid("decided_by"),
    decidedAt: ts("decided_at"),
    decisionComment: text("decision_comment"),
    invoicedInvoiceId: uuid("invoiced_invoice_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // At most one live (pending or approved) run per tenant and period; rejected runs can be superseded.
    uniqueIndex("gain_share_runs_live_uq").on(t.tenantId, t.periodStart).where(sql`${t.status} <> 'rejected'`),
    index("gain_share_runs_uninvoiced_idx").on(t.tenantId).where(sql`${t.status} = 'approved' and ${t.invoicedInvoiceId} is null`),
  ],
);
