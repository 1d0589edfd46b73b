import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, decimal, money, ts } from "./_columns";

/** Operator-level pricing data, synced from catalogs/*.json (validated by lib/domain/catalog). */
export const catalogs = pgTable("catalogs", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  currency: text("currency").notNull(),
  definition: jsonb("definition").notNull(),
  syncedAt: ts("synced_at").notNull().defaultNow(),
});

export const plans = pgTable(
  "plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    catalogCode: text("catalog_code")
      .notNull()
      .references(() => catalogs.code),
    code: text("code").notNull(),
    name: text("name").notNull(),
    currency: text("currency").notNull(),
    currentVersion: integer("current_version").notNull(),
    active: boolean("active").notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("plans_catalog_code_uq").on(t.catalogCode, t.code)],
);

/** Plans are versioned: a subscription keeps the version it started on until it changes plan. */
export const planVersions = pgTable(
  "plan_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id),
    version: integer("version").notNull(),
    /** The full, validated plan definition at this version (the engine's input). */
    definition: jsonb("definition").notNull(),
    /** Hash of the definition: a catalog sync only creates a version when it changed. */
    definitionHash: text("definition_hash").notNull(),
    intervalUnit: text("interval_unit", { enum: ["month", "day"] }).notNull(),
    intervalCount: integer("interval_count").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("plan_versions_plan_version_uq").on(t.planId, t.version)],
);

export const priceComponents = pgTable(
  "price_components",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planVersionId: uuid("plan_version_id")
      .notNull()
      .references(() => planVersions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind").notNull(),
    code: text("code").notNull(),
    metricCode: text("metric_code"),
    definition: jsonb("definition").notNull(),
  },
  (t) => [uniqueIndex("price_components_version_pos_uq").on(t.planVersionId, t.position)],
);

export const creditRules = pgTable(
  "credit_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planVersionId: uuid("plan_version_id")
      .notNull()
      .references(() => planVersions.id, { onDelete: "cascade" }),
    poolCode: text("pool_code").notNull(),
    eventType: text("event_type").notNull(),
    creditsPerUnit: decimal("credits_per_unit").notNull(),
    unitLabel: text("unit_label"),
  },
  (t) => [uniqueIndex("credit_rules_version_event_uq").on(t.planVersionId, t.eventType)],
);

export const promotions = pgTable(
  "promotions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: text("code").notNull(),
    catalogCode: text("catalog_code").references(() => catalogs.code),
    definition: jsonb("definition").notNull(),
    maxRedemptions: integer("max_redemptions"),
    redemptionCount: integer("redemption_count").notNull().default(0),
    expiresAt: ts("expires_at"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("promotions_code_uq").on(t.code)],
);

export const taxRates = pgTable(
  "tax_rates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    percentage: money("percentage").notNull(),
    jurisdiction: text("jurisdiction").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tax_rates_code_uq").on(t.code), index("tax_rates_active_idx").on(t.active)],
);
