import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { createTestDb, type TestDb } from "@/db/testing";
import { tenants } from "@/db/schema";
import { catalogCodes, loadCatalog } from "@/catalogs";
import { getActiveSubscription } from "@/lib/services/subscriptions/subscriptions";
import { componentFor } from "@/lib/domain/catalog/lookup";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { seedDemo } from "./demo";

const NOW = new Date("2026-11-21T15:00:00Z");

describe("demo seed (reliability-ai)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("pglite");
    await seedDemo(t.db, { catalog: "reliability-ai", now: NOW });
  });
  afterAll(() => t.close());

  it("creates a tenant on each plan, with the current period 12 days old", async () => {
    const rows = await t.db.select().from(tenants).orderBy(tenants.slug);
    expect(rows.map((r) => r.slug)).toEqual(["acme-foods", "northwind", "titan-mining"]);
    for (const tenant of rows) {
      const active = await getActiveSubscription(t.db, tenant.id);
      expect(active?.subscription.currentPeriodIndex).toBe(3);
      expect(active!.period.startsAt.toISOString()).toBe("2026-11-09T00:00:00.000Z");
    }
  });

  it("keeps counters equal to the sum of their events", async () => {
    const mismatches = rowsOf(
      await t.db.execute(sql`
        select c.tenant_id, c.period_id, c.metric_code from usage_counters c
        left join (select tenant_id, period_id, metric_code, sum(billable_quantity) b, count(*) n from usage_events
                   group by 1, 2, 3) e using (tenant_id, period_id, metric_code)
        where e.b is distinct from c.billable_quantity or e.n <> c.event_count`),
    );
    expect(mismatches).toEqual([]);
  });

  it("puts the PRO tenant close to (below) its included credits, past the 80 % alert", async () => {
    const [tenant] = await t.db.select().from(tenants).where(eq(tenants.slug, "northwind"));
    const active = (await getActiveSubscription(t.db, tenant.id))!;
    const { plan } = await loadPlanVersion(t.db, active.subscription.planVersionId);
    const pool = componentFor(plan, "credits")!;
    const [row] = rowsOf<{ b: string }>(
      await t.db.execute(
        sql`select billable_quantity b from usage_counters where tenant_id = ${tenant.id} and period_id = ${active.period.id} and metric_code = 'credits'`,
      ),
    );
    const ratio = Number(row.b) / Number((pool as { included: string }).included);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1);
    const alerts = rowsOf<{ name: string }>(
      await t.db.execute(sql`select name from alerts where tenant_id = ${tenant.id} and period_id = ${active.period.id}`),
    );
    expect(alerts.map((a) => a.name)).toEqual(["LOW_CREDITS"]);
  });

  it("gives the ENTERPRISE tenant a year of KPI measurements", async () => {
    const [row] = rowsOf<{ n: number; kpis: number }>(
      await t.db.execute(sql`select count(*)::int n, count(distinct kpi_code)::int kpis from kpi_measurements`),
    );
    expect(row).toEqual({ n: 60, kpis: 5 });
  });
});

describe.each(catalogCodes.filter((c) => c !== "reliability-ai"))("demo seed (%s)", (code) => {
  it("seeds one tenant per plan with usage in every period", async () => {
    const t = await createTestDb("pglite");
    try {
      const summary = await seedDemo(t.db, { catalog: code, now: NOW });
      expect(summary.tenants.map((x) => x.plan)).toEqual(loadCatalog(code).plans.map((p) => p.code));
      for (const tenant of summary.tenants) expect(tenant.events + tenant.snapshots).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
