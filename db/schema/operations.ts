import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, decimal, id, tenantId, ts } from "./_columns";

/** Each Stripe event stored once by its id, in the same transaction as its effects. */
export const stripeWebhookEvents = pgTable(
  "stripe_webhook_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    tenantId: uuid("tenant_id"),
    payload: jsonb("payload").notNull(),
    outcome: text("outcome", { enum: ["processed", "ignored", "failed"] }).notNull(),
    error: text("error"),
    receivedAt: ts("received_at").notNull().defaultNow(),
    processedAt: ts("processed_at"),
    replayCount: integer("replay_count").notNull().default(0),
  },
  (t) => [index("stripe_webhook_events_received_idx").on(t.receivedAt)],
);

export const automationRuns = pgTable(
  "automation_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    job: text("job").notNull(),
    trigger: text("trigger", { enum: ["cron", "cli", "test", "admin"] }).notNull(),
    status: text("status", { enum: ["running", "succeeded", "failed", "partial"] }).notNull().default("running"),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
    counts: jsonb("counts").notNull().default({}),
    errors: jsonb("errors").notNull().default([]),
    hasMore: integer("has_more").notNull().default(0),
  },
  (t) => [index("automation_runs_job_started_idx").on(t.job, t.startedAt)],
);

/** The outbox: every email-worthy event lands here first; SMTP delivery happens after commit. */
export const notifications = pgTable(
  "notifications",
  {
    tenantId: tenantId(),
    id: id(),
    kind: text("kind").notNull(),
    toEmail: text("to_email").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    bodyHtml: text("body_html"),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    /** Makes a notification idempotent (e.g. "alert:<period>:<metric>:80"). */
    dedupeKey: text("dedupe_key").notNull(),
    sentAt: ts("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("notifications_dedupe_uq").on(t.tenantId, t.dedupeKey),
    index("notifications_pending_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id"),
    actorUserId: uuid("actor_user_id"),
    actorKind: text("actor_kind", { enum: ["user", "operator_admin", "system", "api_key", "stripe"] }).notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    data: jsonb("data").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt)],
);


/**
 * Usage already reported to Stripe Billing Meters (STRIPE_METER_SYNC=on): one row per tenant, UTC day and
 * metric, written after the meter event is accepted. A resend after a crash carries the same identifier,
 * which Stripe deduplicates.
 */
export const stripeMeterSyncs = pgTable(
  "stripe_meter_syncs",
  {
    tenantId: tenantId(),
    day: date("day", { mode: "string" }).notNull(),
    metricCode: text("metric_code").notNull(),
    quantity: decimal("quantity").notNull(),
    identifier: text("identifier").notNull(),
    syncedAt: ts("synced_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.metricCode] })],
);
