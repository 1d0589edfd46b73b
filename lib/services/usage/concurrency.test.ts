/**
 * Exactness under concurrency. Meaningful on the real Postgres (TEST_DATABASE_URL), where requests run
 * in parallel on a pool; on PGlite the same assertions hold with requests serialized.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { openDb, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { alerts, notifications, usageCounters, usageEvents } from "@/db/schema";
import { tenantWithKey, usagePoster } from "./testing";

type Post = ReturnType<typeof usagePoster>;

function scenarios(name: string, setup: () => { db: () => TestDb; posters: () => Post[] }) {
  const detection = (key: string, q = 1) => ({ event_type: "detection", quantity: q, idempotency_key: key, properties: { anomaly: true } });
  const pick = (i: number) => setup().posters()[i % setup().posters().length];

  describe(name, () => {
    it("100 concurrent 1-unit requests against a hard limit with 37 remaining admit exactly 37", async () => {
      const db = setup().db().db;
      const t = await tenantWithKey(db, { catalog: "anomaly-detection", plan: "developer" });
      expect((await pick(0)(t.key, detection("seed", 10_000 - 37))).status).toBe(200);
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pick(i)(t.key, detection(`c${i}`))));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(37);
      expect(statuses.filter((s) => s === 422)).toHaveLength(63);
      const [c] = await db
        .select()
        .from(usageCounters)
        .where(and(eq(usageCounters.tenantId, t.tenantId), eq(usageCounters.metricCode, "anomalies")));
      expect(Number(c.billableQuantity)).toBe(10_000);
      expect(c.eventCount).toBe(38);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.tenantId, t.tenantId));
      expect(Number(n)).toBe(38);
      // Every admitted answer saw a distinct running total.
      const used = results.filter((r) => r.status === 200).map((r) => Number(r.body.usage.used));
      expect(new Set(used).size).toBe(37);
      expect(Math.max(...used)).toBe(10_000);
    });

    it("50 concurrent repeats of one idempotency key make one event and 50 identical answers", async () => {
      const db = setup().db().db;
      const t = await tenantWithKey(db, { catalog: "reliability-ai", plan: "STARTER" });
      const body = { event_type: "LLM_token_usage", quantity: "12.5", idempotency_key: "once" };
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pick(i)(t.key, body)));
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
      const canonical = JSON.stringify({ ...results[0].body, duplicate: null });
      for (const r of results) expect(JSON.stringify({ ...r.body, duplicate: null })).toBe(canonical);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.tenantId, t.tenantId));
      expect(Number(n)).toBe(1);
      const [c] = await db.select().from(usageCounters).where(eq(usageCounters.tenantId, t.tenantId));
      expect(Number(c.billableQuantity)).toBe(12.5);
      expect(c.eventCount).toBe(1);
    });

    it("an alert threshold crossed by concurrent requests fires once (alert row, outbox row, one answer)", async () => {
      const db = setup().db().db;
      const t = await tenantWithKey(db, { catalog: "anomaly-detection", plan: "standard" });
      // 70 % of 250,000 = 175,000: start 20 below and send 60 concurrent single units.
      expect((await pick(0)(t.key, detection("seed", 174_980))).status).toBe(200);
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => pick(i)(t.key, detection(`a${i}`))));
      expect(results.every((r) => r.status === 200)).toBe(true);
      const withAlert = results.filter((r) => r.body.alerts.length > 0);
      expect(withAlert).toHaveLength(1);
      expect(withAlert[0].body.alerts).toEqual([
        { code: "USAGE_70", metric: "anomalies", threshold_percent: 70, used: "175000", included: "250000" },
      ]);
      const rows = await db.select().from(alerts).where(eq(alerts.tenantId, t.tenantId));
      expect(rows.map((a) => a.thresholdPercent)).toEqual([70]);
      const outbox = await db.select().from(notifications).where(eq(notifications.tenantId, t.tenantId));
      expect(outbox).toHaveLength(1);
    });

    it("concurrent batches sharing counters neither deadlock nor lose increments", async () => {
      const db = setup().db().db;
      const t = await tenantWithKey(db, { catalog: "ai-platform", plan: "standard" });
      const batch = (b: number) => ({
        events: Array.from({ length: 20 }, (_, i) => ({
          event_type: ["llm_tokens", "api_calls", "agent_executions"][(i + b) % 3],
          quantity: 1,
          idempotency_key: `b${b}-${i}`,
        })),
      });
      const results = await Promise.all(Array.from({ length: 20 }, (_, b) => pick(b)(t.key, batch(b))));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      const counters = await db.select().from(usageCounters).where(eq(usageCounters.tenantId, t.tenantId));
      const total = counters.reduce((s, c) => s + Number(c.billableQuantity), 0);
      expect(total).toBe(400);
    });
  });
}

describe.each(testDbKinds())("concurrency on %s", (kind) => {
  let h: TestDb;
  let post: Post;
  beforeAll(async () => {
    h = await createTestDb(kind, { poolSize: 20 });
    post = usagePoster(h.db);
  });
  afterAll(async () => h?.close());
  scenarios("one service instance", () => ({ db: () => h, posters: () => [post] }));
});

// Two app instances = two independent pools on one database: nothing may depend on in-process state.
describe.each(testDbKinds().filter((k) => k === "postgres"))("two service instances on %s", (kind) => {
  let h: TestDb;
  let a: DbHandle;
  let b: DbHandle;
  let posters: Post[];
  beforeAll(async () => {
    h = await createTestDb(kind, { poolSize: 4 });
    a = await openDb({ url: h.url, poolSize: 10, migrate: false });
    b = await openDb({ url: h.url, poolSize: 10, migrate: false });
    posters = [usagePoster(a.db), usagePoster(b.db)];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await h?.close();
  });
  scenarios("requests alternating between the instances", () => ({ db: () => h, posters: () => posters }));
});
