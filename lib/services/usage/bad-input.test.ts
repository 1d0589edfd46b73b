import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { tenantWithKey, usagePoster } from "./testing";

const good = { event_type: "LLM_token_usage", quantity: "1", idempotency_key: "k" };

/** [label, body (or raw text), expected status, a field or message fragment that must be named] */
const cases: [string, { body?: unknown; raw?: string; contentType?: string }, number, RegExp][] = [
  ["missing event_type", { body: { quantity: 1, idempotency_key: "k" } }, 400, /event_type/],
  ["missing quantity", { body: { event_type: "LLM_token_usage", idempotency_key: "k" } }, 400, /quantity/],
  ["missing idempotency_key", { body: { event_type: "LLM_token_usage", quantity: 1 } }, 400, /idempotency_key/],
  ["negative quantity", { body: { ...good, quantity: -5 } }, 400, /quantity/],
  ["zero quantity", { body: { ...good, quantity: 0 } }, 400, /quantity/],
  ["non-numeric quantity", { body: { ...good, quantity: "ten" } }, 400, /quantity/],
  ["NaN quantity string", { body: { ...good, quantity: "NaN" } }, 400, /quantity/],
  ["1e309 quantity (Infinity)", { raw: '{"event_type":"LLM_token_usage","quantity":1e309,"idempotency_key":"k"}' }, 400, /quantity/],
  ["40-digit quantity", { body: { ...good, quantity: "1".repeat(40) } }, 400, /quantity/],
  ["40-digit quantity as a number", { raw: `{"event_type":"LLM_token_usage","quantity":${"9".repeat(40)},"idempotency_key":"k"}` }, 400, /quantity/],
  ["quantity as a boolean", { body: { ...good, quantity: true } }, 400, /quantity/],
  ["10 kB idempotency key", { body: { ...good, idempotency_key: "x".repeat(10_240) } }, 400, /idempotency_key/],
  ["10 kB property string", { body: { ...good, properties: { note: "x".repeat(10_240) } } }, 400, /properties\.note/],
  ["10 kB event type", { body: { ...good, event_type: "x".repeat(10_240) } }, 400, /event_type/],
  ["unknown field", { body: { ...good, tenant_id: "someone-else" } }, 400, /tenant_id/],
  ["unknown event type", { body: { ...good, event_type: "mystery" } }, 400, /event_type/],
  ["wrong type: properties is an array", { body: { ...good, properties: [1, 2] } }, 400, /properties/],
  ["wrong type: nested property", { body: { ...good, properties: { a: { b: 1 } } } }, 400, /properties\.a/],
  ["wrong type: timestamp is a number", { body: { ...good, timestamp: 1700000000 } }, 400, /timestamp/],
  ["bad timestamp", { body: { ...good, timestamp: "yesterday" } }, 400, /timestamp/],
  ["body is an array", { body: [good] }, 400, /body/],
  ["body is a string", { body: "hello" }, 400, /body/],
  ["events is not an array", { body: { events: "many" } }, 400, /events/],
  ["empty events", { body: { events: [] } }, 400, /events/],
  ["unknown batch field", { body: { events: [good], tenant: "x" } }, 400, /tenant/],
  ["partial is not a boolean", { body: { events: [good], partial: "yes" } }, 400, /partial/],
  ["bad event inside a batch", { body: { events: [good, { ...good, idempotency_key: "k2", quantity: "-1" }] } }, 400, /events\[1\]\.quantity/],
  ["malformed JSON", { raw: '{"event_type": "LLM_token_usage",' }, 400, /JSON/],
  ["wrong content type", { raw: JSON.stringify(good), contentType: "text/plain" }, 415, /application\/json/],
  ["form content type", { raw: "event_type=x", contentType: "application/x-www-form-urlencoded" }, 415, /application\/json/],
  [
    "1,001 events",
    { body: { events: Array.from({ length: 1001 }, (_, i) => ({ ...good, idempotency_key: `k${i}` })) } },
    413,
    /1000/,
  ],
];

describe.each(testDbKinds())("bad input on %s", (kind) => {
  let h: TestDb;
  let key: string;
  let post: ReturnType<typeof usagePoster>;
  beforeAll(async () => {
    h = await createTestDb(kind);
    key = (await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" })).key;
    post = usagePoster(h.db);
  });
  afterAll(async () => h?.close());

  it.each(cases)("%s → %i naming the problem", async (_label, input, status, names) => {
    const r = await post(key, input.body, { raw: input.raw, contentType: input.contentType });
    expect(r.status).toBe(status);
    expect(typeof r.body.error.message).toBe("string");
    expect(r.body.error.message.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.body.error)).toMatch(names);
  });

  it("wrote nothing for any of them", async () => {
    for (const table of ["usage_events", "usage_counters", "usage_daily_rollups", "alerts", "notifications"]) {
      const result = await h.db.execute(sql.raw(`select count(*)::int as n from ${table}`));
      const rows = (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows) as { n: number }[];
      expect({ table, n: Number(rows[0].n) }).toEqual({ table, n: 0 });
    }
  });

  it("a good event after all that is accepted (the key and tenant still work)", async () => {
    const r = await post(key, good);
    expect(r.status).toBe(200);
  });
});
