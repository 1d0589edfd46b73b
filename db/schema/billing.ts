import { sql } from "drizzle-orm";
import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { promotions } from "./catalog";
import { createdAt, decimal, id, money, tenantId, ts } from "./_columns";

export const INVOICE_STATUSES = ["draft", "open", "paid", "void", "uncollectible"] as const;

/** Gapless invoice numbers: one row per (prefix, year), incremented inside the invoice transaction. */
export const invoiceNumberSequences = pgTable(
  "invoice_number_sequences",
  {
    prefix: text("prefix").notNull(),
    year: integer("year").notNull(),
    lastValue: bigint("last_value", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.year] })],
);

export const invoices = pgTable(
  "invoices",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid("subscription_id").notNull(),
    periodId: uuid("period_id"),
    /** period: the period-end invoice; threshold: an interim one; credit_note: a correction of another. */
    kind: text("kind", { enum: ["period", "threshold", "credit_note"] }).notNull(),
    /** For threshold invoices: 1, 2, … within the period. */
    sequenceInPeriod: integer("sequence_in_period").notNull().default(0),
    number: text("number").notNull(),
    status: text("status", { enum: INVOICE_STATUSES }).notNull().default("draft"),
    currency: text("currency").notNull(),
    periodStart: ts("period_start").notNull(),
    periodEnd: ts("period_end").notNull(),
    issuedAt: ts("issued_at"),
    dueAt: ts("due_at"),
    subtotal: money("subtotal").notNull(),
    discount: money("discount").notNull().default("0"),
    tax: money("tax").notNull().default("0"),
    total: money("total").notNull(),
    amountPaid: money("amount_paid").notNull().default("0"),
    creditNoteForId: uuid("credit_note_for_id"),
    planCode: text("plan_code"),
    planVersion: integer("plan_version"),
    stripeInvoiceId: text("stripe_invoice_id"),
    stripeHostedUrl: text("stripe_hosted_url"),
    stripeSyncStatus: text("stripe_sync_status", { enum: ["not_applicable", "pending", "synced", "failed"] })
      .notNull()
      .default("not_applicable"),
    stripeSyncAttempts: integer("stripe_sync_attempts").notNull().default(0),
    stripeNextSyncAt: ts("stripe_next_sync_at"),
    stripeLastError: text("stripe_last_error"),
    paidAt: ts("paid_at"),
    voidedAt: ts("voided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("invoices_number_uq").on(t.number),
    // Exactly one period-end invoice per (subscription, period); threshold invoices numbered within the period.
    uniqueIndex("invoices_period_once_uq").on(t.tenantId, t.subscriptionId, t.periodId, t.kind, t.sequenceInPeriod),
    uniqueIndex("invoices_stripe_uq").on(t.stripeInvoiceId),
    index("invoices_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("invoices_stripe_pending_idx").on(t.stripeNextSyncAt).where(sql`${t.stripeSyncStatus} = 'pending'`),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    tenantId: tenantId(),
    id: id(),
    invoiceId: uuid("invoice_id").notNull(),
    position: integer("position").notNull(),
    kind: text("kind").notNull(),
    code: text("code").notNull(),
    description: text("description").notNull(),
    quantity: decimal("quantity").notNull(),
    unitAmount: decimal("unit_amount").notNull(),
    amount: money("amount").notNull(),
    metadata: jsonb("metadata").notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("invoice_lines_position_uq").on(t.tenantId, t.invoiceId, t.position),
    foreignKey({ columns: [t.tenantId, t.invoiceId], foreignColumns: [invoices.tenantId, invoices.id] }).onDelete("cascade"),
  ],
);

export const payments = pgTable(
  "payments",
  {
    tenantId: tenantId(),
    id: id(),
    invoiceId: uuid("invoice_id").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    method: text("method", { enum: ["offline", "stripe"] }).notNull(),
    reference: text("reference"),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    recordedBy: uuid("recorded_by"),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("payments_stripe_pi_uq").on(t.stripePaymentIntentId),
    foreignKey({ columns: [t.tenantId, t.invoiceId], foreignColumns: [invoices.tenantId, invoices.id] }),
  ],
);

export const paymentAttempts = pgTable(
  "payment_attempts",
  {
    tenantId: tenantId(),
    id: id(),
    invoiceId: uuid("invoice_id").notNull(),
    attemptNo: integer("attempt_no").notNull(),
    status: text("status", { enum: ["scheduled", "succeeded", "failed"] }).notNull(),
    scheduledAt: ts("scheduled_at").notNull(),
    attemptedAt: ts("attempted_at"),
    failureReason: text("failure_reason"),
    stripeReference: text("stripe_reference"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("payment_attempts_no_uq").on(t.tenantId, t.invoiceId, t.attemptNo),
    foreignKey({ columns: [t.tenantId, t.invoiceId], foreignColumns: [invoices.tenantId, invoices.id] }),
  ],
);

export const promotionRedemptions = pgTable(
  "promotion_redemptions",
  {
    tenantId: tenantId(),
    id: id(),
    promotionId: uuid("promotion_id")
      .notNull()
      .references(() => promotions.id),
    subscriptionId: uuid("subscription_id").notNull(),
    /** The subscription period index at which the promotion started (its period 0). */
    firstPeriodIndex: integer("first_period_index").notNull(),
    redeemedAt: ts("redeemed_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("promotion_redemptions_once_uq").on(t.tenantId, t.promotionId, t.subscriptionId),
  ],
);

