import { sql } from "drizzle-orm";
import { foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { planVersions, plans } from "./catalog";
import { tenants } from "./tenancy";
import { createdAt, id, tenantId, ts } from "./_columns";

export const DUNNING_STATES = ["ok", "grace", "past_due", "suspended"] as const;

export const subscriptions = pgTable(
  "subscriptions",
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    id: id(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id),
    planVersionId: uuid("plan_version_id")
      .notNull()
      .references(() => planVersions.id),
    status: text("status", { enum: ["active", "canceled"] }).notNull().default("active"),
    /** Periods are computed from the anchor (monthly: its day of month, clamped; or N days). */
    anchorAt: ts("anchor_at").notNull(),
    currentPeriodIndex: integer("current_period_index").notNull().default(0),
    currentPeriodStart: ts("current_period_start").notNull(),
    currentPeriodEnd: ts("current_period_end").notNull(),
    /** A downgrade scheduled for the next period (plan changes: see README). */
    pendingPlanVersionId: uuid("pending_plan_version_id").references(() => planVersions.id),
    promotionCode: text("promotion_code"),
    promotionStartIndex: integer("promotion_start_index"),
    dunningState: text("dunning_state", { enum: DUNNING_STATES }).notNull().default("ok"),
    dunningSince: ts("dunning_since"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    canceledAt: ts("canceled_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // One live subscription per tenant.
    uniqueIndex("subscriptions_one_active_uq").on(t.tenantId).where(sql`${t.status} = 'active'`),
    uniqueIndex("subscriptions_stripe_uq").on(t.stripeSubscriptionId),
    index("subscriptions_period_end_idx").on(t.currentPeriodEnd).where(sql`${t.status} = 'active'`),
  ],
);

export const subscriptionPeriods = pgTable(
  "subscription_periods",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid("subscription_id").notNull(),
    index: integer("index").notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    planVersionId: uuid("plan_version_id")
      .notNull()
      .references(() => planVersions.id),
    status: text("status", { enum: ["open", "closed"] }).notNull().default("open"),
    closedAt: ts("closed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("subscription_periods_sub_index_uq").on(t.tenantId, t.subscriptionId, t.index),
    foreignKey({ columns: [t.tenantId, t.subscriptionId], foreignColumns: [subscriptions.tenantId, subscriptions.id] }).onDelete(
      "cascade",
    ),
  ],
);
