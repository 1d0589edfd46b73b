import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { auditLog, invoices, subscriptionPeriods, subscriptions } from "@/db/schema";
import { closeDuePeriods } from "@/lib/services/billing/close-periods";
import { getUpcomingInvoice } from "@/lib/services/billing/upcoming-invoice";
import { periodByIndex, putCounter, TEST_BILLING } from "@/lib/services/billing/test-support";
import { AppError } from "@/lib/http/errors";
import { changePlan } from "./change-plan";
import { listPlanOptions } from "./plan-change-options";

const ANCHOR = new Date("2026-03-01T00:00:00Z");
const NOW = new Date("2026-03-10T12:00:00Z");
const PERIOD_END = new Date("2026-04-01T00:00:00Z");

describe.each(testDbKinds())("plan changes on %s", (kind) => {
  let t: TestDb;
  let seq = 0;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  async function tenantOn(plan: string, credits = "600000") {
    const f = await createTenantWithSubscription(t.db, { catalog: "reliability-ai", plan, slug: `pc-${kind}-${++seq}`, anchorAt: ANCHOR, now: NOW });
    await putCounter(t.db, { ...f, metricCode: "credits", quantity: credits });
    return f;
  }

  it("previews an upgrade with the engine: 600k credits on STARTER = 4,000 + 700 overage; on PRO = 9,000", async () => {
    const f = await tenantOn("STARTER");
    const listed = await listPlanOptions(t.db, f.tenantId);
    expect(listed!.currentTotal).toBe("4700.00");
    const byCode = Object.fromEntries(listed!.options.map((o) => [o.planCode, o]));
    expect(byCode.STARTER).toMatchObject({ direction: "same", isCurrent: true, effective: null });
    expect(byCode.PRO).toMatchObject({ direction: "upgrade", effective: "now", periodTotal: "9000.00", difference: "4300.00", blockedReason: null });
    expect(byCode.ENTERPRISE).toMatchObject({ direction: "upgrade", periodTotal: "18000.00", difference: "13300.00" });
    // The preview of the current plan is the upcoming invoice itself.
    expect((await getUpcomingInvoice(t.db, f.tenantId))!.preview.total).toBe(listed!.currentTotal);
  });

  it("applies an upgrade at once: the upcoming invoice and the period-end invoice bill the new plan for the whole period", async () => {
    const f = await tenantOn("STARTER");
    const result = await changePlan(t.db, { tenantId: f.tenantId, planCode: "PRO", actorUserId: null, now: NOW });
    expect(result).toMatchObject({ kind: "upgraded", planCode: "PRO", periodTotal: "9000.00" });

    const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub.pendingPlanVersionId).toBeNull();
    const period = await periodByIndex(t.db, { ...f, index: 0 });
    expect(period.planVersionId).toBe(sub.planVersionId);
    expect(sub.planVersionId).not.toBe(f.planVersionId);

    const upcoming = await getUpcomingInvoice(t.db, f.tenantId);
    expect(upcoming).toMatchObject({ planCode: "PRO" });
    expect(upcoming!.preview.total).toBe("9000.00");

    const run = await closeDuePeriods(t.db, { now: new Date(PERIOD_END.getTime() + 60_000), config: TEST_BILLING });
    expect(run.failed).toBe(0);
    const [inv] = await t.db.select().from(invoices).where(eq(invoices.tenantId, f.tenantId));
    expect(inv).toMatchObject({ planCode: "PRO", kind: "period" });
    expect(Number(inv.total).toFixed(2)).toBe("9000.00");
    expect((await periodByIndex(t.db, { ...f, index: 1 })).planVersionId).toBe(sub.planVersionId);

    const audits = await t.db.select().from(auditLog).where(eq(auditLog.tenantId, f.tenantId));
    expect(audits.map((a) => a.action)).toContain("subscription.plan_upgraded");
    expect(audits.find((a) => a.action === "subscription.plan_upgraded")!.data).toMatchObject({ from: "STARTER", to: "PRO", periodTotalBefore: "4700.00", periodTotalAfter: "9000.00" });
  });

  it("schedules a downgrade for the period end: this period is billed on the old plan, the next one on the new", async () => {
    const f = await tenantOn("PRO");
    const listed = await listPlanOptions(t.db, f.tenantId);
    const starter = listed!.options.find((o) => o.planCode === "STARTER")!;
    expect(starter).toMatchObject({ direction: "downgrade", effective: "period_end", difference: "-5000.00", periodTotal: "9000.00" });
    expect(starter.effectiveAt!.toISOString()).toBe(PERIOD_END.toISOString());

    const result = await changePlan(t.db, { tenantId: f.tenantId, planCode: "STARTER", actorUserId: null, now: NOW });
    expect(result).toMatchObject({ kind: "scheduled", planCode: "STARTER" });
    expect((await getUpcomingInvoice(t.db, f.tenantId))!.preview.total).toBe("9000.00");
    const after = await listPlanOptions(t.db, f.tenantId);
    expect(after!.ctx.pending?.planCode).toBe("STARTER");
    expect(after!.options.find((o) => o.planCode === "STARTER")!.isPending).toBe(true);

    await closeDuePeriods(t.db, { now: new Date(PERIOD_END.getTime() + 60_000), config: TEST_BILLING });
    const [inv] = await t.db.select().from(invoices).where(eq(invoices.tenantId, f.tenantId));
    expect(inv.planCode).toBe("PRO");
    expect(Number(inv.total).toFixed(2)).toBe("9000.00");
    const upcoming = await getUpcomingInvoice(t.db, f.tenantId);
    expect(upcoming).toMatchObject({ planCode: "STARTER", periodIndex: 1 });
    const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub.pendingPlanVersionId).toBeNull();
  });

  it("cancels a scheduled downgrade when the current plan is chosen again, and refuses a no-op", async () => {
    const f = await tenantOn("ENTERPRISE");
    await changePlan(t.db, { tenantId: f.tenantId, planCode: "PRO", actorUserId: null, now: NOW });
    const canceled = await changePlan(t.db, { tenantId: f.tenantId, planCode: "ENTERPRISE", actorUserId: null, now: NOW });
    expect(canceled).toEqual({ kind: "canceled_scheduled", planCode: "PRO" });
    const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub.pendingPlanVersionId).toBeNull();
    await expect(changePlan(t.db, { tenantId: f.tenantId, planCode: "ENTERPRISE", actorUserId: null, now: NOW })).rejects.toMatchObject({
      code: "already_on_plan",
      status: 409,
    });
    const actions = (await t.db.select().from(auditLog).where(eq(auditLog.tenantId, f.tenantId))).map((a) => a.action);
    expect(actions.sort()).toEqual(["subscription.plan_change_canceled", "subscription.plan_change_scheduled"]);
  });

  it("refuses an unknown plan and a period that has already ended, changing nothing", async () => {
    const f = await tenantOn("STARTER");
    const err = await changePlan(t.db, { tenantId: f.tenantId, planCode: "GOLD", actorUserId: null, now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: "unknown_plan" });
    await expect(
      changePlan(t.db, { tenantId: f.tenantId, planCode: "PRO", actorUserId: null, now: new Date(PERIOD_END.getTime() + 1) }),
    ).rejects.toMatchObject({ code: "period_closing" });
    const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub.planVersionId).toBe(f.planVersionId);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.tenantId, f.tenantId))).toHaveLength(0);
  });

  it("touches only the acting tenant's subscription", async () => {
    const a = await tenantOn("STARTER");
    const b = await tenantOn("STARTER");
    await changePlan(t.db, { tenantId: a.tenantId, planCode: "ENTERPRISE", actorUserId: null, now: NOW });
    const [subB] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, b.subscriptionId));
    expect(subB.planVersionId).toBe(b.planVersionId);
    const periodsB = await t.db
      .select()
      .from(subscriptionPeriods)
      .where(and(eq(subscriptionPeriods.tenantId, b.tenantId), eq(subscriptionPeriods.subscriptionId, b.subscriptionId)));
    expect(periodsB.every((p) => p.planVersionId === b.planVersionId)).toBe(true);
  });

  it("two concurrent upgrades of one subscription leave one consistent state", async () => {
    const f = await tenantOn("STARTER");
    const results = await Promise.allSettled([
      changePlan(t.db, { tenantId: f.tenantId, planCode: "PRO", actorUserId: null, now: NOW }),
      changePlan(t.db, { tenantId: f.tenantId, planCode: "ENTERPRISE", actorUserId: null, now: NOW }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    const period = await periodByIndex(t.db, { ...f, index: 0 });
    expect(period.planVersionId).toBe(sub.planVersionId);
    const upcoming = await getUpcomingInvoice(t.db, f.tenantId);
    expect(["9000.00", "18000.00"]).toContain(upcoming!.preview.total);
  });
});
