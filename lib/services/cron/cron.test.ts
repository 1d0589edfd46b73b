import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription, createUser } from "@/db/seed/fixtures";
import { automationRuns, invoices, snapshots } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { assertCronAuthorized, withCron } from "@/lib/http/with-cron";
import { putSnapshot, TEST_BILLING } from "@/lib/services/billing/test-support";
import { runCronJob } from "./jobs";

const SECRET = "s3cret-cron-token-0123456789";

function req(auth?: string) {
  return new Request("http://test.local/api/cron/invoices", { headers: auth ? { authorization: auth } : {} });
}

describe("cron authentication", () => {
  const saved = { secret: process.env.CRON_SECRET, nodeEnv: process.env.NODE_ENV };
  afterEach(() => {
    // Assigning undefined to process.env would store the string "undefined".
    if (saved.secret === undefined) delete process.env.CRON_SECRET;
    else process.env.CRON_SECRET = saved.secret;
    resetEnvCache();
  });

  it("answers 401 to a missing or wrong bearer token and runs the job with the right one", async () => {
    process.env.CRON_SECRET = SECRET;
    resetEnvCache();
    let ran = 0;
    const handler = withCron(async () => {
      ran++;
      return Response.json({ ok: true });
    });
    expect((await handler(req())).status).toBe(401);
    expect((await handler(req(`Bearer ${SECRET}x`))).status).toBe(401);
    expect((await handler(req(`Basic ${SECRET}`))).status).toBe(401);
    expect((await handler(req(`Bearer ${SECRET.slice(0, -1)}`))).status).toBe(401);
    expect(ran).toBe(0);
    const ok = await handler(req(`Bearer ${SECRET}`));
    expect(ok.status).toBe(200);
    expect(ran).toBe(1);
    const body = await (await handler(req())).json();
    expect(body.error.code).toBe("unauthorized");
  });

  it("refuses to run in production without CRON_SECRET, and runs without one in development", () => {
    expect(() => assertCronAuthorized(req(), { secret: undefined, nodeEnv: "production" })).toThrow(/CRON_SECRET/);
    expect(() => assertCronAuthorized(req("Bearer anything"), { secret: undefined, nodeEnv: "production" })).toThrow(/CRON_SECRET/);
    expect(() => assertCronAuthorized(req(), { secret: undefined, nodeEnv: "development" })).not.toThrow();
    expect(() => assertCronAuthorized(req(), { secret: SECRET, nodeEnv: "development" })).toThrow(/cron secret/);
  });
});

describe.each(testDbKinds())("cron jobs on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  it("snapshots: seats from the member counter, other counts carried forward, once per day", async () => {
    const db = t.db;
    const ai = await createTenantWithSubscription(db, {
      catalog: "ai-platform",
      plan: "standard",
      slug: "snap-ai",
      anchorAt: new Date("2026-03-01T00:00:00Z"),
      now: new Date("2026-03-10T00:00:00Z"),
    });
    for (const i of [1, 2, 3]) await createUser(db, { email: `u${i}@snap.example`, name: `U${i}`, password: "pw-123456789", tenantId: ai.tenantId });
    await putSnapshot(db, { ...ai, metricCode: "storage_gb", day: "2026-03-08", quantity: "42.5" });
    const now = new Date("2026-03-10T00:15:00Z");
    const first = await runCronJob(db, "snapshots", "test", { now });
    expect(first.status).toBe("succeeded");
    expect(first.counts).toMatchObject({ counted: 1, carried_forward: 1 });
    const rows = await db
      .select()
      .from(snapshots)
      .where(and(eq(snapshots.tenantId, ai.tenantId), eq(snapshots.takenOn, "2026-03-10")));
    const byMetric = Object.fromEntries(rows.map((r) => [r.metricCode, Number(r.quantity)]));
    expect(byMetric).toEqual({ user_seats: 3, storage_gb: 42.5 });
    const second = await runCronJob(db, "snapshots", "test", { now });
    expect(second.counts).toMatchObject({ counted: 0, carried_forward: 0 });
    const [run] = await db.select().from(automationRuns).where(eq(automationRuns.id, first.runId));
    expect(run).toMatchObject({ job: "snapshots", trigger: "test", status: "succeeded" });
    expect(run.finishedAt).not.toBeNull();
  });

  it("invoices: closes ended periods in bounded batches with has_more, logged as automation runs", async () => {
    const db = t.db;
    for (const i of [1, 2, 3]) {
      await createTenantWithSubscription(db, {
        catalog: "business-os",
        plan: "basic",
        slug: `cron-inv-${i}`,
        anchorAt: new Date("2026-03-01T00:00:00Z"),
        now: new Date("2026-03-10T00:00:00Z"),
      });
    }
    const now = new Date("2026-04-01T00:05:00Z");
    const first = await runCronJob(db, "invoices", "test", { now, batchSize: 2, config: TEST_BILLING });
    expect(first).toMatchObject({ status: "succeeded", hasMore: true });
    expect(first.counts.periods_closed).toBe(2);
    const second = await runCronJob(db, "invoices", "test", { now, batchSize: 2, config: TEST_BILLING });
    expect(second.hasMore).toBe(false);
    expect(second.counts.periods_closed).toBeGreaterThanOrEqual(1);
    const rows = await db.select().from(invoices);
    expect(new Set(rows.map((r) => r.subscriptionId)).size).toBe(rows.length);
    const runs = await db.select().from(automationRuns).where(eq(automationRuns.job, "invoices"));
    expect(runs.map((r) => r.hasMore).sort()).toEqual([0, 1]);
    for (const job of ["stripe-sync", "dunning"] as const) {
      expect((await runCronJob(db, job, "test", { now })).status).toBe("succeeded");
    }
  });
});
