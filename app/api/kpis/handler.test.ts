import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { kpiMeasurements } from "@/db/schema";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createApiKey } from "@/lib/services/api-keys/api-keys";
import { gainShareTenant, operator } from "@/lib/services/gain-share/testing";
import { createKpiHandler } from "./handler";

describe.each(testDbKinds())("POST /api/kpis on %s", (kind) => {
  let t: TestDb;
  let post: (key: string | null, body: unknown) => Promise<{ status: number; body: any }>;
  const now = new Date("2026-04-20T00:00:00Z");
  beforeAll(async () => {
    t = await createTestDb(kind);
    const handler = createKpiHandler({ getDb: async () => t.db, now: () => now, rateLimitPerMinute: () => 1_000_000 });
    post = async (key, body) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (key) headers.authorization = `Bearer ${key}`;
      const res = await handler(new Request("http://test.local/api/kpis", { method: "POST", headers, body: JSON.stringify(body) }));
      return { status: res.status, body: await res.json() };
    };
  }, 60_000);
  afterAll(async () => t?.close());

  async function tenantWithKey() {
    const admin = await operator(t.db);
    const fixture = await gainShareTenant(t.db, { actor: admin, measurements: false, now });
    const key = await createApiKey(t.db, { tenantId: fixture.tenantId, name: "kpi feed" });
    return { ...fixture, key: key.key };
  }
  const count = async (tenantId: string) => (await t.db.select().from(kpiMeasurements).where(eq(kpiMeasurements.tenantId, tenantId))).length;

  it("records once; a repeat answers the first answer with duplicate: true; another body under the key is 409", async () => {
    const { key, tenantId } = await tenantWithKey();
    const body = { kpi: "availability", period: "2026-03", value: "97.50", unit: "%", idempotency_key: "plant-7:availability:2026-03" };
    const first = await post(key, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ok: true, kpi: "availability", period: "2026-03", value: "97.5", unit: "%", source: "api", duplicate: false });

    // Same body (key order and number spelling aside) → the first answer.
    const again = await post(key, { idempotency_key: body.idempotency_key, unit: "%", value: 97.5, period: "2026-03", kpi: "availability" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });

    const changed = await post(key, { ...body, value: "98" });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe("idempotency_conflict");
    expect(await count(tenantId)).toBe(1);
    const [row] = await t.db.select().from(kpiMeasurements).where(eq(kpiMeasurements.tenantId, tenantId));
    expect(row.value).toMatch(/^97\.5/);
    expect(row.author).toMatch(/^api key /);
  });

  it("concurrent repeats of one key write one row", async () => {
    const { key, tenantId } = await tenantWithKey();
    const body = { kpi: "mttr", period: "2026-03", value: "6", unit: "hours", idempotency_key: "burst" };
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(key, body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.measurement_id)).size).toBe(1);
    expect(await count(tenantId)).toBe(1);
  });

  it.each<[string, unknown, number, string]>([
    ["an unknown KPI", { kpi: "uptime", period: "2026-03", value: "1", unit: "%", idempotency_key: "a" }, 400, "kpi"],
    ["availability above 100", { kpi: "availability", period: "2026-03", value: "101", unit: "%", idempotency_key: "b" }, 400, "value"],
    ["negative hours", { kpi: "mtbf", period: "2026-03", value: "-3", unit: "hours", idempotency_key: "c" }, 400, "value"],
    ["a unit other than the baseline's", { kpi: "mtbf", period: "2026-03", value: "3", unit: "days", idempotency_key: "d" }, 400, "unit"],
    ["a bad month", { kpi: "mtbf", period: "2026-13", value: "3", unit: "hours", idempotency_key: "e" }, 400, "period"],
    ["no idempotency key", { kpi: "mtbf", period: "2026-03", value: "3", unit: "hours" }, 400, "idempotency_key"],
    ["an unknown field (tenant never from the body)", { kpi: "mtbf", period: "2026-03", value: "3", unit: "hours", idempotency_key: "f", tenant_id: "x" }, 400, "body"],
  ])("refuses %s, naming the field", async (_name, body, status, field) => {
    const { key, tenantId } = await tenantWithKey();
    const res = await post(key, body);
    expect(res.status).toBe(status);
    expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
    expect(await count(tenantId)).toBe(0);
  });

  it("needs a valid key", async () => {
    const res = await post(null, { kpi: "mtbf", period: "2026-03", value: "3", unit: "hours", idempotency_key: "g" });
    expect(res.status).toBe(401);
    const bad = await post("ml_live_notarealkey000000000000", { kpi: "mtbf", period: "2026-03", value: "3", unit: "hours", idempotency_key: "g" });
    expect(bad.status).toBe(401);
  });

  it("the key decides the tenant: the same idempotency key in two tenants is two measurements", async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    const body = { kpi: "mtbf", period: "2026-03", value: "450", unit: "hours", idempotency_key: "shared-key" };
    expect((await post(a.key, body)).status).toBe(201);
    expect((await post(b.key, { ...body, value: "500" })).status).toBe(201);
    expect([await count(a.tenantId), await count(b.tenantId)]).toEqual([1, 1]);
  });
});
