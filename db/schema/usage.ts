import { sql } from "drizzle-orm";
import { bigint, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { subscriptionPeriods, subscriptions } from "./subscriptions";
import { createdAt, decimal, id, tenantId, ts } from "./_columns";

/**
 * Every accepted usage event, kept forever (voids and corrections reference it).
 * Idempotency is enforced by the unique (tenant_id, idempotency_key) index, never by check-then-insert.
 */
export const usageEvents = pgTable(
  "usage_events",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid("subscription_id").notNull(),
    periodId: uuid("period_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The metric the event feeds, or the credit pool's code (e.g. "credits") for events that burn credits. */
    metricCode: text("metric_code").notNull(),
    /** Event units as sent (e.g. 1 unit of LLM_token_usage = 1,000 tokens). */
    quantity: decimal("quantity").notNull(),
    /**
     * What the event adds to the metric's billed usage: for a credit pool, the credits burned; for a metric,
     * the quantity (1 for count metrics) — or 0 when a filter such as anomaly=true excludes it.
     */
    billableQuantity: decimal("billable_quantity").notNull(),
    credits: decimal("credits").notNull().default("0"),
    occurredAt: ts("occurred_at").notNull(),
    properties: jsonb("properties").notNull().default({}),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of the canonical request body: the same key with another body is a 409. */
    bodyHash: text("body_hash").notNull(),
    /** The first answer, replayed with duplicate: true. */
    response: jsonb("response"),
    apiKeyId: uuid("api_key_id"),
    voidedAt: ts("voided_at"),
    voidReason: text("void_reason"),
    correctsEventId: uuid("corrects_event_id"),
    correctionReason: text("correction_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("usage_events_idempotency_uq").on(t.tenantId, t.idempotencyKey),
    index("usage_events_period_idx").on(t.tenantId, t.periodId, t.metricCode),
    index("usage_events_occurred_idx").on(t.tenantId, t.occurredAt),
  ],
);

/**
 * Running totals per (subscription period, metric or credit pool); updated in the same transaction as the
 * event insert. quantity = Σ event units; billable_quantity = Σ billable quantity (credits for a pool) —
 * the number the engine rates and limits/alerts compare with the included amount.
 */
export const usageCounters = pgTable(
  "usage_counters",
  {
    tenantId: tenantId(),
    periodId: uuid("period_id").notNull(),
    metricCode: text("metric_code").notNull(),
    subscriptionId: uuid("subscription_id").notNull(),
    quantity: decimal("quantity").notNull().default("0"),
    billableQuantity: decimal("billable_quantity").notNull().default("0"),
    eventCount: bigint("event_count", { mode: "number" }).notNull().default(0),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.periodId, t.metricCode] }),
    foreignKey({ columns: [t.tenantId, t.periodId], foreignColumns: [subscriptionPeriods.tenantId, subscriptionPeriods.id] }),
  ],
);

/**
 * Daily rollups per (day, metric, event type, segment): what pages and history read, never raw events.
 * `segment` is the value of the catalog's breakdown property (e.g. business-os `vertical`) or ''.
 */
export const usageDailyRollups = pgTable(
  "usage_daily_rollups",
  {
    tenantId: tenantId(),
    day: date("day", { mode: "string" }).notNull(),
    metricCode: text("metric_code").notNull(),
    eventType: text("event_type").notNull(),
    segment: text("segment").notNull().default(""),
    subscriptionId: uuid("subscription_id").notNull(),
    quantity: decimal("quantity").notNull().default("0"),
    billableQuantity: decimal("billable_quantity").notNull().default("0"),
    credits: decimal("credits").notNull().default("0"),
    eventCount: bigint("event_count", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.metricCode, t.eventType, t.segment] })],
);

/** Counted metrics (assets, seats, licences, clusters, storage): one row per subscription, metric and day. */
export const snapshots = pgTable(
  "snapshots",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid("subscription_id").notNull(),
    metricCode: text("metric_code").notNull(),
    takenOn: date("taken_on", { mode: "string" }).notNull(),
    quantity: decimal("quantity").notNull(),
    /** Per-site counts ({"site-a": 120}) or per-dimension counts ({"medium:production": 2}). */
    breakdown: jsonb("breakdown").notNull().default({}),
    source: text("source", { enum: ["api", "counter", "seed"] }).notNull(),
    takenAt: ts("taken_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("snapshots_sub_metric_day_uq").on(t.tenantId, t.subscriptionId, t.metricCode, t.takenOn),
    foreignKey({ columns: [t.tenantId, t.subscriptionId], foreignColumns: [subscriptions.tenantId, subscriptions.id] }),
  ],
);

/** An alert threshold fires once per period and metric: the unique index makes that hold under concurrency. */
export const alerts = pgTable(
  "alerts",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid("subscription_id").notNull(),
    periodId: uuid("period_id").notNull(),
    metricCode: text("metric_code").notNull(),
    thresholdPercent: integer("threshold_percent").notNull(),
    name: text("name").notNull(),
    usedAtFire: decimal("used_at_fire").notNull(),
    included: decimal("included").notNull(),
    firedAt: ts("fired_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("alerts_once_per_period_uq").on(t.tenantId, t.periodId, t.metricCode, t.thresholdPercent),
  ],
);

/** Fixed-window request counters per API key; shared by every app instance through the database. */
export const rateLimitWindows = pgTable(
  "rate_limit_windows",
  {
    bucket: text("bucket").notNull(),
    windowStart: ts("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);

/** Usage corrections that land in an already-invoiced period wait here for the next invoice. */
export const adjustments = pgTable(
  "adjustments",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid("subscription_id").notNull(),
    description: text("description").notNull(),
    amount: decimal("amount").notNull(),
    currency: text("currency").notNull(),
    sourceEventId: uuid("source_event_id"),
    appliedInvoiceId: uuid("applied_invoice_id"),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("adjustments_pending_idx").on(t.tenantId, t.subscriptionId).where(sql`${t.appliedInvoiceId} is null`),
  ],
);

