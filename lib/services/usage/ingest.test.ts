import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { alerts, apiKeys, notifications, subscriptions, usageCounters, usageDailyRollups, usageEvents } from "@/db/schema";
import { revokeApiKey } from "@/lib/services/api-keys/api-keys";
import { tenantWithKey, usagePoster } from "./testing";

describe.each(testDbKinds())("POST /api/usage on %s", (kind) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb(kind);
  });
  afterAll(async () => h?.close());

  const counter = async (tenantId: string, metric: string) => {
    const [row] = await h.db
      .select()
      .from(usageCounters)
      .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.metricCode, metric)));
    return row;
  };
  const eventCount = async (tenantId: string) =>
    (await h.db.select({ n: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.tenantId, tenantId)))[0].n;

  it("burns credits by the credit rule and answers with the documented shape", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const r = await post(t.key, { event_type: "vision_frame_batch", quantity: "3", idempotency_key: "v-1", properties: { site: "a" } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(["ok", "event_id", "duplicate", "credits_burned", "remaining_credits", "usage", "alerts", "limit"]);
    expect(r.body).toMatchObject({
      ok: true,
      duplicate: false,
      credits_burned: "15",
      remaining_credits: "249985",
      usage: { metric: "credits", used: "15", included: "250000", percent: "0.01" },
      alerts: [],
      limit: { kind: "soft", status: "within" },
    });
    const c = await counter(t.tenantId, "credits");
    expect(c.billableQuantity).toMatch(/^15(\.0+)?$/);
    expect(c.eventCount).toBe(1);
    const rollups = await h.db.select().from(usageDailyRollups).where(eq(usageDailyRollups.tenantId, t.tenantId));
    expect(rollups).toHaveLength(1);
    expect(rollups[0]).toMatchObject({ metricCode: "credits", eventType: "vision_frame_batch" });
    expect(Number(rollups[0].quantity)).toBe(3);
    expect(Number(rollups[0].credits)).toBe(15);
    const [ev] = await h.db.select().from(usageEvents).where(eq(usageEvents.tenantId, t.tenantId));
    expect(ev.id).toBe(r.body.event_id);
    expect(ev.response).toMatchObject({ event_id: r.body.event_id, credits_burned: "15" });
  });

  it("keeps decimal quantities exact (no float maths)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    await post(t.key, { event_type: "LLM_token_usage", quantity: 0.1, idempotency_key: "f1" });
    const r = await post(t.key, { event_type: "LLM_token_usage", quantity: "0.2", idempotency_key: "f2" });
    expect(r.body.usage.used).toBe("0.3");
    expect(r.body.remaining_credits).toBe("249999.7");
  });

  it("replays the first answer for a repeated key and refuses the key with another body (409, nothing changed)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const body = { event_type: "LLM_token_usage", quantity: "1500", idempotency_key: "same", properties: { model: "x", site: "s" } };
    const first = await post(t.key, body);
    const again = await post(t.key, { ...body, properties: { site: "s", model: "x" } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    const other = await post(t.key, { ...body, quantity: "1501" });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("idempotency_conflict");
    expect(await eventCount(t.tenantId)).toBe(1);
    expect(Number((await counter(t.tenantId, "credits")).billableQuantity)).toBe(1500);
  });

  it("answers a batch event by event with running totals, and fires each threshold once (alert + outbox)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const r = await post(t.key, {
      events: [
        { event_type: "LLM_token_usage", quantity: 199_000, idempotency_key: "b1" },
        { event_type: "optimizer_job", quantity: 2, idempotency_key: "b2" },
        { event_type: "simulator_run", quantity: 50, idempotency_key: "b3" },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.totals).toEqual({ received: 3, accepted: 3, duplicates: 0, rejected: 0, credits_burned: "250000" });
    expect(r.body.results.map((x: { usage: { used: string } }) => x.usage.used)).toEqual(["199000", "200000", "250000"]);
    expect(r.body.results[0].alerts).toEqual([]);
    expect(r.body.results[1].alerts).toEqual([
      { code: "LOW_CREDITS", metric: "credits", threshold_percent: 80, used: "200000", included: "250000" },
    ]);
    expect(r.body.results[2].alerts.map((a: { code: string }) => a.code)).toEqual(["OVERAGE"]);
    expect(r.body.results[2].remaining_credits).toBe("0");
    // Past the included credits: accepted, billed, flagged (soft limit), no alert fires twice.
    const more = await post(t.key, { event_type: "LLM_token_usage", quantity: 10, idempotency_key: "b4" });
    expect(more.body.limit).toEqual({ kind: "soft", status: "over_included" });
    expect(more.body.alerts).toEqual([]);
    const fired = await h.db.select().from(alerts).where(eq(alerts.tenantId, t.tenantId));
    expect(fired.map((a) => a.thresholdPercent).sort()).toEqual([100, 80]);
    const outbox = await h.db.select().from(notifications).where(eq(notifications.tenantId, t.tenantId));
    expect(outbox).toHaveLength(2);
    expect(outbox[0].toEmail).toContain("@");
  });

  it("bills only anomaly: true detections and counts the rest as free", async () => {
    const t = await tenantWithKey(h.db, { catalog: "anomaly-detection", plan: "standard" });
    const post = usagePoster(h.db);
    const free = await post(t.key, { event_type: "detection", quantity: 5, idempotency_key: "d1", properties: { anomaly: false } });
    const billed = await post(t.key, { event_type: "detection", quantity: 3, idempotency_key: "d2", properties: { anomaly: true } });
    expect(free.body.usage).toMatchObject({ metric: "anomalies", used: "0" });
    expect(billed.body.usage).toMatchObject({ metric: "anomalies", used: "3", included: "250000" });
    expect(billed.body.remaining_credits).toBeNull();
    const c = await counter(t.tenantId, "anomalies");
    expect(Number(c.quantity)).toBe(8);
    expect(Number(c.billableQuantity)).toBe(3);
  });

  it("refuses usage past a hard limit with 422 and changes nothing", async () => {
    const t = await tenantWithKey(h.db, { catalog: "anomaly-detection", plan: "developer" });
    const post = usagePoster(h.db);
    const ok = await post(t.key, { event_type: "detection", quantity: 9_999, idempotency_key: "h1", properties: { anomaly: true } });
    expect(ok.status).toBe(200);
    expect(ok.body.limit).toEqual({ kind: "hard", status: "within" });
    const over = await post(t.key, { event_type: "detection", quantity: 2, idempotency_key: "h2", properties: { anomaly: true } });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe("hard_limit_exceeded");
    expect(over.body.error.message).toMatch(/10000/);
    const last = await post(t.key, { event_type: "detection", quantity: 1, idempotency_key: "h3", properties: { anomaly: true } });
    expect(last.status).toBe(200);
    expect(last.body.usage.used).toBe("10000");
    // Non-billable detections never count toward the limit.
    const free = await post(t.key, { event_type: "detection", quantity: 1, idempotency_key: "h4", properties: { anomaly: false } });
    expect(free.status).toBe(200);
    expect(await eventCount(t.tenantId)).toBe(3);
    expect(Number((await counter(t.tenantId, "anomalies")).billableQuantity)).toBe(10_000);
  });

  it("refuses usage past a soft limit (120 % of included) with 429 and Retry-After", async () => {
    const t = await tenantWithKey(h.db, { catalog: "anomaly-detection", plan: "standard" });
    const post = usagePoster(h.db);
    const big = await post(t.key, { event_type: "detection", quantity: 300_000, idempotency_key: "s1", properties: { anomaly: true } });
    expect(big.status).toBe(200);
    expect(big.body.limit).toEqual({ kind: "soft_limit", status: "over_included" });
    const over = await post(t.key, { event_type: "detection", quantity: 1, idempotency_key: "s2", properties: { anomaly: true } });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe("soft_limit_exceeded");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a batch is all-or-nothing: one bad event refuses it all (400 naming the field)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const r = await post(t.key, {
      events: [
        { event_type: "LLM_token_usage", quantity: 1, idempotency_key: "ok-1" },
        { event_type: "LLM_token_usage", quantity: -1, idempotency_key: "bad-1" },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toHaveProperty(["events[1].quantity"]);
    expect(await eventCount(t.tenantId)).toBe(0);
  });

  it("with partial: true, accepts the good events and reports the bad ones in place", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const r = await post(t.key, {
      partial: true,
      events: [
        { event_type: "LLM_token_usage", quantity: 1, idempotency_key: "p1" },
        { event_type: "nope", quantity: 1, idempotency_key: "p2" },
        { event_type: "LLM_token_usage", quantity: 2, idempotency_key: "p3", extra: 1 },
        { event_type: "LLM_token_usage", quantity: 3, idempotency_key: "p4" },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, false, false, true]);
    expect(r.body.results[1].error.fields).toHaveProperty(["events[1].event_type"]);
    expect(r.body.results[2].error.fields).toEqual({ "events[2].extra": "unknown field" });
    expect(r.body.results[3].usage.used).toBe("4");
    expect(r.body.totals).toMatchObject({ received: 4, accepted: 2, rejected: 2 });
  });

  it("with partial: true, admits events in order up to a hard limit", async () => {
    const t = await tenantWithKey(h.db, { catalog: "anomaly-detection", plan: "developer" });
    const post = usagePoster(h.db);
    await post(t.key, { event_type: "detection", quantity: 9_998, idempotency_key: "q0", properties: { anomaly: true } });
    const events = [1, 2, 1, 1].map((q, i) => ({ event_type: "detection", quantity: q, idempotency_key: `q${i + 1}`, properties: { anomaly: true } }));
    const r = await post(t.key, { partial: true, events });
    expect(r.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, false, true, false]);
    expect(r.body.results[1].error.code).toBe("hard_limit_exceeded");
    expect(r.body.results[2].usage.used).toBe("10000");
    expect(Number((await counter(t.tenantId, "anomalies")).billableQuantity)).toBe(10_000);
    expect(await eventCount(t.tenantId)).toBe(3);
    // The refused keys were not consumed: they can be sent again later.
    const retry = await post(t.key, { event_type: "detection", quantity: 1, idempotency_key: "q2", properties: { anomaly: false } });
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(false);
  });

  it("a retried batch (all-or-nothing) replays every first answer and changes nothing", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const batch = { events: [1, 2, 3].map((q) => ({ event_type: "LLM_token_usage", quantity: q, idempotency_key: `rb${q}` })) };
    const first = await post(t.key, batch);
    const again = await post(t.key, batch);
    expect(again.status).toBe(200);
    expect(again.body.results).toEqual(first.body.results.map((r: object) => ({ ...r, duplicate: true })));
    expect(again.body.totals).toMatchObject({ accepted: 0, duplicates: 3 });
    const partialAgain = await post(t.key, { ...batch, partial: true });
    expect(partialAgain.body.results).toEqual(again.body.results);
    for (const [i, e] of batch.events.entries()) {
      const single = await post(t.key, e);
      expect(single.body).toEqual(again.body.results[i]);
    }
    // A batch mixing a repeat with new events is still applied exactly once per key.
    const mixed = await post(t.key, { events: [...batch.events, { event_type: "LLM_token_usage", quantity: 4, idempotency_key: "rb4" }] });
    expect(mixed.body.totals).toMatchObject({ accepted: 1, duplicates: 3 });
    expect(mixed.body.results[3].usage.used).toBe("10");
    expect(await eventCount(t.tenantId)).toBe(4);
    // …and one conflicting key refuses the whole batch.
    const conflicting = await post(t.key, { events: [{ event_type: "LLM_token_usage", quantity: 9, idempotency_key: "rb1" }, { event_type: "LLM_token_usage", quantity: 1, idempotency_key: "rb5" }] });
    expect(conflicting.status).toBe(409);
    expect(await eventCount(t.tenantId)).toBe(4);
  });

  it("treats a key repeated inside one batch as a duplicate, or a conflict if the bodies differ", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const e = { event_type: "LLM_token_usage", quantity: 1, idempotency_key: "twice" };
    const r = await post(t.key, { events: [e, e] });
    expect(r.body.results[1]).toEqual({ ...r.body.results[0], duplicate: true });
    expect(r.body.totals).toMatchObject({ accepted: 1, duplicates: 1 });
    const c = await post(t.key, { events: [{ ...e, idempotency_key: "x" }, { ...e, idempotency_key: "x", quantity: 2 }] });
    expect(c.status).toBe(409);
  });

  it("bills a late event in its own period within the grace, and in the current period once the grace ran out", async () => {
    const t = await tenantWithKey(h.db, {
      catalog: "reliability-ai",
      plan: "STARTER",
      anchorAt: new Date("2026-03-01T00:00:00Z"),
      now: new Date("2026-03-10T00:00:00Z"),
    });
    const end = new Date("2026-04-01T00:00:00Z").getTime();
    const event = (key: string) => ({
      event_type: "LLM_token_usage",
      quantity: 7,
      idempotency_key: key,
      timestamp: new Date(end - 10 * 60_000).toISOString(),
    });
    // 30 minutes after the end, within the 60-minute grace: still the ending period (not yet invoiced).
    const within = await usagePoster(h.db, { graceMinutes: 60, now: () => new Date(end + 30 * 60_000) })(t.key, event("late-in"));
    expect(within.status).toBe(200);
    // 90 minutes after: the invoice run may be closing that period now, so the event goes to the current one.
    const after = await usagePoster(h.db, { graceMinutes: 60, now: () => new Date(end + 90 * 60_000) })(t.key, event("late-out"));
    expect(after.status).toBe(200);
    const rows = await h.db.execute(sql`
      select p.index, e.idempotency_key from usage_events e
      join subscription_periods p on p.tenant_id = e.tenant_id and p.id = e.period_id
      where e.tenant_id = ${t.tenantId} order by e.idempotency_key`);
    const byKey = Object.fromEntries(
      (Array.isArray(rows) ? rows : (rows as { rows: { index: number; idempotency_key: string }[] }).rows).map((r) => [
        r.idempotency_key,
        Number(r.index),
      ]),
    );
    expect(byKey).toEqual({ "late-in": 0, "late-out": 1 });
  });

  it("refuses timestamps more than 5 minutes ahead or before the open period beyond the grace (422 with the reason)", async () => {
    const now = new Date();
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER", now, anchorAt: new Date(now.getTime() - 86_400_000) });
    const post = usagePoster(h.db, { graceMinutes: 60 });
    const future = await post(t.key, {
      event_type: "LLM_token_usage",
      quantity: 1,
      idempotency_key: "t1",
      timestamp: new Date(now.getTime() + 6 * 60_000).toISOString(),
    });
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe("timestamp_in_future");
    const periodStart = now.getTime() - 86_400_000;
    const old = await post(t.key, {
      event_type: "LLM_token_usage",
      quantity: 1,
      idempotency_key: "t2",
      timestamp: new Date(periodStart - 61 * 60_000).toISOString(),
    });
    expect(old.status).toBe(422);
    expect(old.body.error.message).toMatch(/grace/);
    const late = await post(t.key, {
      event_type: "LLM_token_usage",
      quantity: 1,
      idempotency_key: "t3",
      timestamp: new Date(periodStart - 30 * 60_000).toISOString(),
    });
    expect(late.status).toBe(200);
    const soon = await post(t.key, {
      event_type: "LLM_token_usage",
      quantity: 1,
      idempotency_key: "t4",
      timestamp: new Date(now.getTime() + 4 * 60_000).toISOString(),
    });
    expect(soon.status).toBe(200);
    expect(await eventCount(t.tenantId)).toBe(2);
  });

  it("401 without a key or with a revoked one (at once); 402 when suspended", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const e = { event_type: "LLM_token_usage", quantity: 1, idempotency_key: "k1" };
    expect((await post(null, e)).status).toBe(401);
    expect((await post("ml_live_notakeyatallnotakeyatall", e)).status).toBe(401);
    expect((await post(t.key, e)).status).toBe(200);
    await revokeApiKey(h.db, { tenantId: t.tenantId, keyId: t.keyId });
    const revoked = await post(t.key, { ...e, idempotency_key: "k2" });
    expect(revoked.status).toBe(401);

    const s = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    await h.db.update(subscriptions).set({ dunningState: "suspended" }).where(eq(subscriptions.tenantId, s.tenantId));
    const suspended = await post(s.key, e);
    expect(suspended.status).toBe(402);
    expect(suspended.body.error.code).toBe("subscription_suspended");
    await h.db.update(subscriptions).set({ status: "canceled", dunningState: "ok" }).where(eq(subscriptions.tenantId, s.tenantId));
    const none = await post(s.key, e);
    expect(none.status).toBe(402);
    expect(none.body.error.code).toBe("no_active_subscription");
    expect(await eventCount(s.tenantId)).toBe(0);
  });

  it("records the key's last use at most once a minute", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const at = (ms: number) => new Date(Date.UTC(2031, 0, 1, 12, 0, 0) + ms);
    const lastUsed = async () => (await h.db.select().from(apiKeys).where(eq(apiKeys.id, t.keyId)))[0].lastUsedAt?.getTime() ?? null;
    const { authenticateApiKey } = await import("@/lib/services/api-keys/authenticate-api-key");
    expect(await lastUsed()).toBeNull();
    await authenticateApiKey(h.db, t.key, at(0));
    expect(await lastUsed()).toBe(at(0).getTime());
    await authenticateApiKey(h.db, t.key, at(30_000));
    expect(await lastUsed()).toBe(at(0).getTime());
    await authenticateApiKey(h.db, t.key, at(61_000));
    expect(await lastUsed()).toBe(at(61_000).getTime());
  });

  it("rate-limits per key with 429 and Retry-After", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db, { rateLimitPerMinute: 3 });
    const now = Date.now();
    // Stay inside one window: skip if a minute boundary is about to pass.
    if (now % 60_000 > 55_000) await new Promise((r) => setTimeout(r, 60_000 - (now % 60_000) + 50));
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await post(t.key, { event_type: "LLM_token_usage", quantity: 1, idempotency_key: `rl${i}` })).status);
    expect(codes).toEqual([200, 200, 200, 429]);
    const r = await post(t.key, { event_type: "LLM_token_usage", quantity: 1, idempotency_key: "rl9" });
    expect(r.body.error.code).toBe("rate_limited");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses counted metrics (they are posted as snapshots)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    const r = await post(t.key, { event_type: "assets", quantity: 1, idempotency_key: "a" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/snapshots/);
  });

  it("breaks rollups down by the catalog's breakdown property (business-os vertical)", async () => {
    const t = await tenantWithKey(h.db, { catalog: "business-os", plan: "basic" });
    const post = usagePoster(h.db);
    await post(t.key, {
      events: [
        { event_type: "api_calls", quantity: 2, idempotency_key: "v1", properties: { vertical: "edu" } },
        { event_type: "api_calls", quantity: 3, idempotency_key: "v2", properties: { vertical: "edu" } },
        { event_type: "api_calls", quantity: 4, idempotency_key: "v3", properties: { vertical: "ret" } },
      ],
    });
    const rows = await h.db.select().from(usageDailyRollups).where(eq(usageDailyRollups.tenantId, t.tenantId));
    const bySegment = Object.fromEntries(rows.map((r) => [r.segment, Number(r.quantity)]));
    expect(bySegment).toEqual({ edu: 5, ret: 4 });
  });
});
