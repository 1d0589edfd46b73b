import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { adjustments, auditLog, subscriptionPeriods, usageCounters, usageDailyRollups, usageEvents } from "@/db/schema";
import { tenantWithKey, usagePoster } from "@/lib/services/usage/testing";
import { correctEvent, voidEvent } from "./corrections";

const admin = { userId: null, kind: "operator_admin" as const };

describe.each(testDbKinds())("usage corrections on %s", (kind) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb(kind);
  });
  afterAll(async () => h?.close());

  const credits = async (tenantId: string) => {
    const [c] = await h.db
      .select()
      .from(usageCounters)
      .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.metricCode, "credits")));
    return { billable: Number(c.billableQuantity), events: c.eventCount };
  };

  it("voids an event of the open period: usage taken out, original kept and marked, audited", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    await post(t.key, { event_type: "LLM_token_usage", quantity: 100, idempotency_key: "keep" });
    const r = await post(t.key, { event_type: "optimizer_job", quantity: 2, idempotency_key: "wrong" });
    expect(await credits(t.tenantId)).toEqual({ billable: 1100, events: 2 });
    const out = await voidEvent(h.db, { tenantId: t.tenantId, eventId: r.body.event_id, reason: "duplicate job from a retry storm", actor: admin });
    expect(out).toMatchObject({ periodStatus: "open", adjustmentId: null });
    expect(await credits(t.tenantId)).toEqual({ billable: 100, events: 1 });
    const [ev] = await h.db.select().from(usageEvents).where(eq(usageEvents.id, r.body.event_id));
    expect(ev.voidedAt).not.toBeNull();
    expect(ev.voidReason).toBe("duplicate job from a retry storm");
    const rollups = await h.db.select().from(usageDailyRollups).where(eq(usageDailyRollups.tenantId, t.tenantId));
    expect(Number(rollups.find((x) => x.eventType === "optimizer_job")!.credits)).toBe(0);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.entityId, r.body.event_id));
    expect(audit.map((a) => a.action)).toEqual(["usage_event.voided"]);
    await expect(voidEvent(h.db, { tenantId: t.tenantId, eventId: r.body.event_id, reason: "again", actor: admin })).rejects.toMatchObject({ status: 409 });
  });

  it("posts a correcting event with the difference; the original stays as it was", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const r = await usagePoster(h.db)(t.key, { event_type: "LLM_token_usage", quantity: 1500, idempotency_key: "c1" });
    const out = await correctEvent(h.db, { tenantId: t.tenantId, eventId: r.body.event_id, quantity: "1000", reason: "meter double-counted", actor: admin });
    expect(await credits(t.tenantId)).toMatchObject({ billable: 1000 });
    const [corr] = await h.db.select().from(usageEvents).where(eq(usageEvents.id, out.correctionEventId));
    expect(Number(corr.quantity)).toBe(-500);
    expect(corr.correctsEventId).toBe(r.body.event_id);
    expect(corr.correctionReason).toBe("meter double-counted");
    const [orig] = await h.db.select().from(usageEvents).where(eq(usageEvents.id, r.body.event_id));
    expect(Number(orig.quantity)).toBe(1500);
    // A second correction starts from the corrected quantity.
    await correctEvent(h.db, { tenantId: t.tenantId, eventId: r.body.event_id, quantity: 1200, reason: "recount", actor: admin });
    expect(await credits(t.tenantId)).toMatchObject({ billable: 1200 });
    await expect(correctEvent(h.db, { tenantId: t.tenantId, eventId: r.body.event_id, quantity: 0, reason: "zero", actor: admin })).rejects.toMatchObject({ status: 422 });
  });

  it("a correction into an invoiced (closed) period becomes an adjustment for the next invoice", async () => {
    const t = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const post = usagePoster(h.db);
    await post(t.key, { event_type: "LLM_token_usage", quantity: 290_000, idempotency_key: "big" });
    const r = await post(t.key, { event_type: "LLM_token_usage", quantity: 10_000, idempotency_key: "wrong" });
    await h.db.update(subscriptionPeriods).set({ status: "closed", closedAt: new Date() }).where(eq(subscriptionPeriods.id, t.periodId));
    const out = await voidEvent(h.db, { tenantId: t.tenantId, eventId: r.body.event_id, reason: "test traffic", actor: admin });
    // 10,000 credits beyond the included 250,000 at 0.0020 CAD = 20.00 CAD back.
    expect(out.periodStatus).toBe("closed");
    expect(Number(out.amount)).toBe(-20);
    const [adj] = await h.db.select().from(adjustments).where(eq(adjustments.tenantId, t.tenantId));
    expect(adj).toMatchObject({ currency: "CAD", appliedInvoiceId: null, sourceEventId: r.body.event_id });
    expect(Number(adj.amount)).toBe(-20);
    expect(adj.description).toMatch(/test traffic/);
  });

  it("cannot touch another tenant's events", async () => {
    const a = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const b = await tenantWithKey(h.db, { catalog: "reliability-ai", plan: "STARTER" });
    const r = await usagePoster(h.db)(a.key, { event_type: "LLM_token_usage", quantity: 1, idempotency_key: "x" });
    await expect(voidEvent(h.db, { tenantId: b.tenantId, eventId: r.body.event_id, reason: "not mine", actor: admin })).rejects.toMatchObject({ status: 404 });
  });
});
