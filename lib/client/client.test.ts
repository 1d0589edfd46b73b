import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/db/testing";
import { createUsageHandler } from "@/app/api/usage/handler";
import { tenantWithKey } from "@/lib/services/usage/testing";
import { backoffMs, createMeterlineClient, MeterlineApiError, parseRetryAfter } from "./client";

type Call = { url: string; body: string | undefined };

function scripted(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const sleeps: number[] = [];
  const fetchFn = (async (url: string, init?: RequestInit) => {
    calls.push({ url, body: init?.body as string | undefined });
    const next = responses.shift();
    if (!next) throw new Error("no more scripted responses");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  const client = createMeterlineClient({
    baseUrl: "http://meterline.test/",
    apiKey: "ml_live_test",
    fetch: fetchFn,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    maxRetries: 3,
  });
  return { client, calls, sleeps };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const answer = { ok: true, event_id: "e", duplicate: false };

describe("lib/client", () => {
  it("retries 5xx and network errors with the same idempotency key and body", async () => {
    const { client, calls, sleeps } = scripted([new TypeError("fetch failed"), json(503, { error: { code: "x", message: "down" } }), json(200, answer)]);
    const r = await client.recordUsage({ event_type: "LLM_token_usage", quantity: "1" });
    expect(r.event_id).toBe("e");
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(JSON.parse(calls[0].body!).idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[0].url).toBe("http://meterline.test/api/usage");
    // Full jitter with random = 0.5: half of 200, then half of 400.
    expect(sleeps).toEqual([100, 200]);
  });

  it("honours Retry-After on 429", async () => {
    const { client, sleeps } = scripted([json(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "2" }), json(200, answer)]);
    await client.recordUsage({ event_type: "x", quantity: 1, idempotency_key: "k" });
    expect(sleeps).toEqual([2000]);
  });

  it("does not wait for a Retry-After beyond its patience (a soft limit until next period)", async () => {
    const { client, calls } = scripted([json(429, { error: { code: "soft_limit_exceeded", message: "limit" } }, { "retry-after": "86400" })]);
    const err = await client.recordUsage({ event_type: "x", quantity: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(MeterlineApiError);
    expect(err).toMatchObject({ status: 429, code: "soft_limit_exceeded", retryAfterSeconds: 86400 });
    expect(calls).toHaveLength(1);
  });

  it("never retries other 4xx and surfaces the field errors", async () => {
    const { client, calls } = scripted([json(400, { error: { code: "invalid_request", message: "bad", fields: { quantity: "must be positive" } } })]);
    const err = await client.recordUsage({ event_type: "x", quantity: -1 }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, fields: { quantity: "must be positive" } });
    expect(calls).toHaveLength(1);
  });

  it("gives up after maxRetries", async () => {
    const { client, calls } = scripted([json(502, {}), json(502, {}), json(502, {}), json(502, {})]);
    await expect(client.usageSummary()).rejects.toMatchObject({ status: 502 });
    expect(calls).toHaveLength(4);
  });

  it("backoff grows exponentially up to the cap; Retry-After parses seconds and dates", () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffMs(a, opts))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe("lib/client against the real handler", () => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb("pglite");
  });
  afterAll(async () => h?.close());

  it("a retry after a lost answer is applied once and answered as a duplicate", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const handler = createUsageHandler({ getDb: async () => h.db, graceMinutes: () => 60, rateLimitPerMinute: () => 1000 });
    let first = true;
    const client = createMeterlineClient({
      baseUrl: "http://app.test",
      apiKey: t.key,
      sleep: async () => {},
      fetch: (async (url: string, init?: RequestInit) => {
        const res = await handler(new Request(url, init));
        if (first) {
          first = false;
          throw new TypeError("connection reset after the server answered");
        }
        return res;
      }) as typeof fetch,
    });
    const r = await client.recordUsage({ event_type: "LLM_token_usage", quantity: "5" });
    expect(r.duplicate).toBe(true);
    expect(r.usage.used).toBe("5");
  });
});
