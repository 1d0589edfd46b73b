import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { invoices, operatorAdmins, subscriptionPeriods, tenants } from "@/db/schema";
import { closeDuePeriods } from "@/lib/services/billing/close-periods";
import { recordOfflinePayment } from "@/lib/services/billing/invoice-lifecycle";
import { loadCatalog } from "@/catalogs";
import { addMonthsClamped } from "@/lib/domain/period";
import { DEMO_OPERATOR, DEMO_PASSWORD, demoTenantsFor } from "./demo-profiles";
import { writeDemoKpis } from "./demo-kpis";
import { seedDemoGainShare } from "./demo-gain-share";
import { writeDemoUsage } from "./demo-usage";
import { createTenantWithSubscription, createUser, ensureCatalog } from "./fixtures";

const DAY = 86_400_000;

export interface SeedSummary {
  catalog: string;
  tenants: { slug: string; plan: string; events: number; snapshots: number }[];
  users: string[];
  invoices?: number;
}

/** Drops every table and re-applies the migrations: `seed --reset`. */
export async function resetDatabase(db: Db): Promise<void> {
  await db.execute(sql`drop schema if exists public cascade`);
  await db.execute(sql`create schema public`);
  await db.execute(sql`drop schema if exists drizzle cascade`);
  await runMigrations(db);
}

/**
 * The demo: the catalog, demo tenants on each plan with three months of usage (and a year of KPI data for
 * gain-share), a demo owner, a demo member and an operator admin (password: DEMO_PASSWORD).
 */
export async function seedDemo(db: Db, params: { catalog: string; now?: Date }): Promise<SeedSummary> {
  const now = params.now ?? new Date();
  const catalog = loadCatalog(params.catalog);
  await ensureCatalog(db, catalog.code);
  const summary: SeedSummary = { catalog: catalog.code, tenants: [], users: [] };

  const operator = await createUser(db, { ...DEMO_OPERATOR, password: DEMO_PASSWORD });
  await db.insert(operatorAdmins).values({ userId: operator.id });
  summary.users.push(DEMO_OPERATOR.email);

  const today = new Date(Math.floor(now.getTime() / DAY) * DAY);
  for (const profile of demoTenantsFor(catalog)) {
    const plan = catalog.plans.find((p) => p.code === profile.plan)!;
    // Anchored so that three whole periods lie behind and the current one is 12 days old.
    const anchorAt =
      plan.interval.unit === "month"
        ? addMonthsClamped(new Date(today.getTime() - 12 * DAY), -3)
        : new Date(today.getTime() - (3 * plan.interval.count + 12) * DAY);
    const fixture = await createTenantWithSubscription(db, {
      catalog: catalog.code,
      plan: plan.code,
      slug: profile.slug,
      name: profile.name,
      anchorAt,
      now,
      promotionCode: profile.promotionCode,
      taxRateCode: profile.taxRateCode,
      locale: profile.locale,
    });
    const owner = await createUser(db, { ...profile.owner, password: DEMO_PASSWORD, tenantId: fixture.tenantId, role: "owner" });
    summary.users.push(profile.owner.email);
    if (profile.member) {
      await createUser(db, { ...profile.member, password: DEMO_PASSWORD, tenantId: fixture.tenantId, role: "member" });
      summary.users.push(profile.member.email);
    }
    const periods = await db
      .select()
      .from(subscriptionPeriods)
      .where(eq(subscriptionPeriods.subscriptionId, fixture.subscriptionId))
      .orderBy(subscriptionPeriods.index);
    const usage = await writeDemoUsage(db, {
      tenantId: fixture.tenantId,
      subscriptionId: fixture.subscriptionId,
      catalog,
      plan,
      profile,
      periods,
      from: anchorAt,
      now,
    });
    if (profile.kpis) await writeDemoKpis(db, { tenantId: fixture.tenantId, catalog, now, authorId: owner.id });
    if (profile.kpis) await seedDemoGainShare(db, { tenantId: fixture.tenantId, operator, now });
    summary.tenants.push({ slug: profile.slug, plan: plan.code, ...usage });
  }
  summary.invoices = await invoicePastPeriods(db, now);
  return summary;
}

/**
 * Closes the demo's past periods with the real invoice run, each at its own period end (so issue dates are
 * true), then records bank-transfer payments for every invoice but each tenant's latest.
 */
async function invoicePastPeriods(db: Db, now: Date): Promise<number> {
  const ends = await db
    .selectDistinct({ endsAt: subscriptionPeriods.endsAt })
    .from(subscriptionPeriods)
    .where(and(eq(subscriptionPeriods.status, "open"), lte(subscriptionPeriods.endsAt, now)))
    .orderBy(asc(subscriptionPeriods.endsAt));
  let issued = 0;
  for (const { endsAt } of ends) {
    const at = new Date(endsAt.getTime() + 3 * 3_600_000); // past the late-event grace
    for (;;) {
      const result = await closeDuePeriods(db, { now: at < now ? at : now, batchSize: 500, concurrency: 1 });
      issued += result.closed;
      if (result.errors.length) throw new Error(`demo invoice run failed: ${result.errors.map((e) => e.message).join("; ")}`);
      if (!result.hasMore || result.closed === 0) break;
    }
  }
  const all = await db.select().from(invoices).orderBy(asc(invoices.tenantId), asc(invoices.periodStart));
  const latest = new Map<string, string>();
  for (const inv of all) latest.set(inv.tenantId, inv.id);
  for (const inv of all) {
    if (latest.get(inv.tenantId) === inv.id || inv.status !== "open" || Number(inv.total) <= 0) continue;
    await recordOfflinePayment(db, {
      invoiceId: inv.id,
      amount: inv.total,
      reference: `Wire ${inv.number}`,
      actor: { userId: null, kind: "system" },
      receivedAt: new Date((inv.issuedAt ?? inv.createdAt).getTime() + 5 * DAY),
    });
  }
  return issued;
}

/** The embedded database is always a demo database: seed it on first start (no tenants yet). */
export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await db.select({ id: tenants.id }).from(tenants).limit(1);
  return rows.length === 0;
}
