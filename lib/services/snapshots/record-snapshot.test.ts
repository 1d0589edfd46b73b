import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { snapshots } from "@/db/schema";
import { createSnapshotsHandler } from "@/app/api/snapshots/handler";
import { createUsageSummaryHandler } from "@/app/api/usage/summary/handler";
import { tenantWithKey, usagePoster } from "@/lib/services/usage/testing";

describe.each(testDbKinds())("snapshots and usage summary on %s", (kind) => {
  let h: TestDb;
  let postSnapshot: (key: string, body: unknown) => Promise<{ status: number; body: any }>;
  let summary: (key: string, query?: string) => Promise<{ status: number; body: any }>;
  beforeAll(async () => {
    h = await createTestDb(kind);
    const snap = createSnapshotsHandler({ getDb: async () => h.db, rateLimitPerMinute: () => 1000 });
    const sum = createUsageSummaryHandler({ getDb: async () => h.db, rateLimitPerMinute: () => 1000 });
    postSnapshot = async (key, body) => {
      const res = await snap(
        new Request("http://t/api/snapshots", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
      return { status: res.status, body: await res.json() };
    };
    summary = async (key, query = "") => {
      const res = await sum(new Request(`http://t/api/usage/summary${query}`, { headers: { authorization: `Bearer ${key}` } }));
      return { status: res.status, body: await res.json() };
    };
  });
  afterAll(async () => h?.close());

  it("records assets per site, idempotent per day (the second post replaces the first)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "PRO" });
    const first = await postSnapshot(t.key, { metric: "assets", breakdown: { north: 100, south: 50 } });
    expect(first.status).toBe(200);
    expect(first.body.snapshot).toMatchObject({ metric: "assets", quantity: "150" });
    const second = await postSnapshot(t.key, { metric: "assets", breakdown: { north: 120, south: 50, east: 10 } });
    expect(second.status).toBe(200);
    const rows = await h.db.select().from(snapshots).where(eq(snapshots.tenantId, t.tenantId));
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].quantity)).toBe(180);
    expect(rows[0].breakdown).toEqual({ north: "120", south: "50", east: "10" });
  });

  it("enforces the plan's max sites (PRO: 3)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "PRO" });
    const r = await postSnapshot(t.key, { metric: "assets", breakdown: { a: 1, b: 1, c: 1, d: 1 } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("site_limit_exceeded");
    expect(r.body.error.message).toMatch(/at most 3 sites/);
    expect(await h.db.select().from(snapshots).where(eq(snapshots.tenantId, t.tenantId))).toHaveLength(0);
  });

  it("validates: unknown metric, usage metric, mismatching total, unknown field, bad dimension cell", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "PRO" });
    expect((await postSnapshot(t.key, { metric: "nope", quantity: 1 })).status).toBe(400);
    expect((await postSnapshot(t.key, { metric: "credits", quantity: 1 })).status).toBe(400);
    expect((await postSnapshot(t.key, { metric: "assets", quantity: 5, breakdown: { a: 1 } })).body.error.fields).toHaveProperty("quantity");
    expect((await postSnapshot(t.key, { metric: "assets", quantity: 5, site: "x" })).body.error.fields).toEqual({ site: "unknown field" });
    const c = await tenantWithKey(h.db, { catalog: "compute-licences", plan: "platform" });
    const ok = await postSnapshot(c.key, { metric: "clusters", breakdown: { "medium:production": 2 } });
    expect(ok.status).toBe(200);
    const bad = await postSnapshot(c.key, { metric: "clusters", breakdown: { "huge:production": 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.breakdown).toMatch(/huge/);
  });

  it("enforces a hard limit on a counted metric (ai-platform free: 3 seats)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "ai-platform", plan: "free" });
    expect((await postSnapshot(t.key, { metric: "user_seats", quantity: 3 })).status).toBe(200);
    const r = await postSnapshot(t.key, { metric: "user_seats", quantity: 4 });
    expect(r.status).toBe(422);
  });

  it("summarises the current period: totals per metric, credits by event type, latest snapshot", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    await post(t.key, {
      events: [
        { event_type: "LLM_token_usage", quantity: 1000, idempotency_key: "s1" },
        { event_type: "optimizer_job", quantity: 1, idempotency_key: "s2" },
      ],
    });
    await postSnapshot(t.key, { metric: "assets", breakdown: { main: 42 } });
    const r = await summary(t.key, "?period=current");
    expect(r.status).toBe(200);
    expect(r.body.plan).toMatchObject({ code: "STARTER", currency: "CAD" });
    expect(r.body.credits).toEqual({
      pool: "credits",
      included: "250000",
      used: "1500",
      remaining: "248500",
      percent: "0.60",
      by_event_type: { LLM_token_usage: "1000", optimizer_job: "500" },
    });
    const assets = r.body.metrics.find((m: { metric: string }) => m.metric === "assets");
    expect(assets).toMatchObject({ kind: "counted", used: "42", included: "200" });
    const month = r.body.period.label;
    const same = await summary(t.key, `?period=${month}`);
    expect(same.body.period.id).toBe(r.body.period.id);
    expect((await summary(t.key, "?period=2001-01")).status).toBe(404);
    expect((await summary(t.key, "?period=last")).status).toBe(400);
    expect((await summary(t.key, "?tenant=x")).status).toBe(400);
  });

  it("only ever shows the key's own tenant", async () => {
    const a = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const b = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    await usagePoster(h.db)(a.key, { event_type: "LLM_token_usage", quantity: 7, idempotency_key: "iso" });
    const rb = await summary(b.key);
    expect(rb.body.credits.used).toBe("0");
    expect(rb.body.period.id).toBe(b.periodId);
  });
});
