import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { subscriptions } from "@/db/schema";
import { eq } from "drizzle-orm";
import { putCounter, putSnapshot } from "@/lib/services/billing/test-support";
import { listTenantsForAdmin } from "./list-tenants";

const ANCHOR = new Date("2026-03-01T00:00:00Z");
const NOW = new Date("2026-03-10T00:00:00Z");

describe.each(testDbKinds())("operator tenant list on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  it("prices each open period's overage with the engine and totals MRR per currency", async () => {
    const db = t.db;
    const starter = await createTenantWithSubscription(db, { catalog: "reliability-ai", plan: "STARTER", slug: "adm-a", name: "A", anchorAt: ANCHOR, now: NOW });
    const pro = await createTenantWithSubscription(db, { catalog: "reliability-ai", plan: "PRO", slug: "adm-b", name: "B", anchorAt: ANCHOR, now: NOW });
    await putCounter(db, { ...starter, metricCode: "credits", quantity: "300000" }); // 50,000 beyond × 0.0020 = 100
    await putSnapshot(db, { ...starter, metricCode: "assets", day: "2026-03-05", quantity: "210" }); // 10 beyond × 3 = 30
    await putCounter(db, { ...pro, metricCode: "credits", quantity: "900000" }); // within the pool
    await db.update(subscriptions).set({ dunningState: "past_due" }).where(eq(subscriptions.id, pro.subscriptionId));

    const { rows, totals, pastDue } = await listTenantsForAdmin(db);
    const a = rows.find((r) => r.slug === "adm-a")!;
    const b = rows.find((r) => r.slug === "adm-b")!;
    expect(a).toMatchObject({ planCode: "STARTER", currency: "CAD", mrr: "4000.00", overage: "130.00", dunningState: "ok" });
    expect(b).toMatchObject({ planCode: "PRO", mrr: "9000.00", overage: "0.00", dunningState: "past_due" });
    expect(totals).toEqual([expect.objectContaining({ currency: "CAD", tenants: 2, mrr: "13000", overage: "130" })]);
    expect(pastDue).toBe(1);
  });
});
