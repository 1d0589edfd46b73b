import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, type TestDb } from "@/db/testing";
import { automationRuns } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";

let testDb: TestDb;
vi.mock("@/db", () => ({ getDb: async () => testDb.db }));

const SECRET = "route-cron-secret-0123456789";

describe("GET /api/cron/* route handlers", () => {
  beforeAll(async () => {
    testDb = await createTestDb("pglite");
    process.env.CRON_SECRET = SECRET;
    resetEnvCache();
  });
  afterAll(async () => {
    delete process.env.CRON_SECRET;
    resetEnvCache();
    await testDb?.close();
  });

  const call = async (job: string, auth?: string, query = "") => {
    const mod = (await import(`./${job}/route.ts`)) as { GET: (r: Request) => Promise<Response> };
    return mod.GET(new Request(`http://test.local/api/cron/${job}${query}`, { headers: auth ? { authorization: auth } : {} }));
  };

  it.each(["snapshots", "invoices", "stripe-sync", "dunning"])("%s: 401 without or with a wrong secret, 200 and a logged run with it", async (job) => {
    expect((await call(job)).status).toBe(401);
    expect((await call(job, "Bearer nope-nope-nope-nope")).status).toBe(401);
    const before = (await testDb.db.select().from(automationRuns).where(eq(automationRuns.job, job))).length;
    const res = await call(job, `Bearer ${SECRET}`, "?batch=50");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, job, status: "succeeded", has_more: false });
    const after = await testDb.db.select().from(automationRuns).where(eq(automationRuns.job, job));
    expect(after.length).toBe(before + 1);
  });

  it("rejects a bad batch size with 400", async () => {
    const res = await call("invoices", `Bearer ${SECRET}`, "?batch=0");
    expect(res.status).toBe(400);
  });
});
