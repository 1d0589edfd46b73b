import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { usageDailyRollups } from "@/db/schema";
import { putCounter, putSnapshot } from "@/lib/services/billing/test-support";
import { getUsageView } from "./get-usage-view";

const ANCHOR = new Date("2026-01-05T00:00:00Z");
const NOW = new Date("2026-04-08T12:00:00Z"); // period 3: Apr 5 – May 5

describe.each(testDbKinds())("usage view on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  it("aggregates rollups of the open period by event type and day, history from counters, tenant-scoped", async () => {
    const db = t.db;
    const a = await createTenantWithSubscription(db, { catalog: "reliability-ai", plan: "PRO", slug: `uv-a-${kind}`, anchorAt: ANCHOR, now: NOW });
    const b = await createTenantWithSubscription(db, { catalog: "reliability-ai", plan: "PRO", slug: `uv-b-${kind}`, anchorAt: ANCHOR, now: NOW });
    const roll = (f: typeof a, day: string, eventType: string, quantity: string, credits: string) => ({
      tenantId: f.tenantId, subscriptionId: f.subscriptionId, day, metricCode: "credits", eventType, segment: "", quantity, billableQuantity: quantity, credits, eventCount: 1,
    });
    await db.insert(usageDailyRollups).values([
      roll(a, "2026-04-05", "LLM_token_usage", "100.5", "100.5"),
      roll(a, "2026-04-07", "LLM_token_usage", "200", "200"),
      roll(a, "2026-04-07", "simulator_run", "2", "2000"),
      roll(a, "2026-04-04", "LLM_token_usage", "999", "999"), // previous period: not in this period's charts
      roll(b, "2026-04-06", "optimizer_job", "3", "1500"), // another tenant
    ]);
    await putCounter(db, { ...a, metricCode: "credits", quantity: "2300.5" });
    await putSnapshot(db, { ...a, metricCode: "assets", day: "2026-04-06", quantity: "30", breakdown: { "site-1": 10, "site-2": 20 } });

    const view = (await getUsageView(db, { tenantId: a.tenantId, now: NOW }))!;
    expect(view.period.start.toISOString()).toBe("2026-04-05T00:00:00.000Z");
    expect(view.creditsByEventType.map((r) => [r.eventType, r.units, r.credits])).toEqual([
      ["LLM_token_usage", "300.5", "300.5"],
      ["simulator_run", "2", "2000"],
    ]);
    expect(view.daily.points.map((p) => p.day)).toEqual(["2026-04-05", "2026-04-06", "2026-04-07", "2026-04-08"]);
    expect(view.daily.points[2].exact).toMatchObject({ LLM_token_usage: "200", simulator_run: "2000", optimizer_job: "0" });
    expect(view.history).toHaveLength(4);
    expect(view.history.at(-1)).toMatchObject({ current: true, used: "2300.5", included: "1000000" });
    expect(view.history[0]).toMatchObject({ current: false, used: "0" });
    expect(view.breakdowns).toEqual([
      expect.objectContaining({ title: "Assets by site", asOf: "2026-04-06", rows: [expect.objectContaining({ segment: "site-1", quantity: "10" }), expect.objectContaining({ segment: "site-2", quantity: "20" })] }),
    ]);
    expect(view.creditRules.map((r) => r.eventType)).toEqual(["LLM_token_usage", "vision_frame_batch", "optimizer_job", "simulator_run"]);

    const other = (await getUsageView(db, { tenantId: b.tenantId, now: NOW }))!;
    expect(other.creditsByEventType.map((r) => [r.eventType, r.credits])).toEqual([["optimizer_job", "1500"]]);
    expect(other.history.at(-1)!.used).toBe("0");
  });

  it("is null without an active subscription", async () => {
    expect(await getUsageView(t.db, { tenantId: "00000000-0000-4000-8000-000000000000", now: NOW })).toBeNull();
  });
});
