import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, type TestDb } from "@/db/testing";
import { apiKeys, usageEvents } from "@/db/schema";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { createUsageHandler } from "@/app/api/usage/handler";
import { createUsageSummaryHandler } from "@/app/api/usage/summary/handler";
import { hashApiKey } from "@/lib/services/api-keys/api-keys";
import { runApiKey } from "./apikey";
import { runTraffic } from "./traffic";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe("apikey and traffic commands", () => {
  let h: TestDb;
  let tenantId: string;
  beforeAll(async () => {
    h = await createTestDb("pglite");
    const now = new Date();
    tenantId = (
      await createTenantWithSubscription(h.db, { catalog: "reliability-ai", plan: "PRO", slug: "acme", anchorAt: new Date(now.getTime() - 86_400_000), now })
    ).tenantId;
  });
  afterAll(async () => h?.close());

  it("apikey create prints the key once; only its hash is stored", async () => {
    const o = io();
    expect(await runApiKey(h.db, ["create", "--tenant", "acme", "--name", "ingest"], o.io)).toBe(0);
    const key = o.out[0];
    expect(key).toMatch(/^ml_live_[A-Za-z0-9]{40}$/);
    const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId));
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(key.startsWith(row.prefix)).toBe(true);
    const list = io();
    await runApiKey(h.db, ["list", "--tenant", "acme"], list.io);
    expect(list.out.join("\n")).not.toContain(key);
    expect(list.out[0]).toContain(row.prefix);
  });

  it("apikey refuses an unknown tenant and a missing --tenant", async () => {
    expect(await runApiKey(h.db, ["create", "--tenant", "nobody"], io().io)).toBe(1);
    await expect(runApiKey(h.db, ["create"], io().io)).rejects.toThrow(/--tenant/);
  });

  it("traffic sends realistic events for the tenant's plan through lib/client", async () => {
    const o = io();
    await runApiKey(h.db, ["create", "--tenant", "acme"], o.io);
    const usage = createUsageHandler({ getDb: async () => h.db, graceMinutes: () => 60, rateLimitPerMinute: () => 100_000 });
    const summary = createUsageSummaryHandler({ getDb: async () => h.db, rateLimitPerMinute: () => 100_000 });
    const fetchFn = (async (url: string, init?: RequestInit) => {
      const req = new Request(url, init);
      return new URL(url).pathname === "/api/usage" ? usage(req) : summary(req);
    }) as typeof fetch;
    const t = io();
    const totals = await runTraffic({ url: "http://app.test", key: o.out[0], rate: 50, seconds: 2, fetch: fetchFn, sleep: async () => {} }, t.io);
    expect(totals.sent).toBe(100);
    expect(totals.accepted).toBe(100);
    expect(totals.errors).toBe(0);
    const rows = await h.db.select().from(usageEvents).where(eq(usageEvents.tenantId, tenantId));
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.eventType)).size).toBeGreaterThan(1);
    expect(t.out.join("\n")).toMatch(/Credits this period: \d+/);
  });
});
