/**
 * Concurrency of gain-share decisions and invoicing, on PGlite and (with TEST_DATABASE_URL) the real Postgres,
 * where the transactions truly overlap.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, gainShareRuns, invoiceLines, invoices, notifications } from "@/db/schema";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { closeDuePeriods } from "@/lib/services/billing/close-periods";
import { TEST_BILLING } from "@/lib/services/billing/test-support";
import { AppError } from "@/lib/http/errors";
import type { GainShareActor } from "./audit";
import { createGainShareRun } from "./create-run";
import { decideGainShareRun } from "./decide-run";
import { gainShareTenant, operator } from "./testing";

const now = new Date("2026-04-20T00:00:00Z");
// Period 0 of the subscription, [03-10, 04-10), has ended at `now`; period 1 ends 05-10.
const anchorAt = new Date("2026-03-10T00:00:00Z");
const nextMonth = new Date("2026-05-15T00:00:00Z");

describe.each(testDbKinds())("gain-share under concurrency on %s", (kind) => {
  let t: TestDb;
  let alice: GainShareActor;
  let bob: GainShareActor;
  beforeAll(async () => {
    t = await createTestDb(kind);
    alice = await operator(t.db, "alice");
    bob = await operator(t.db, "bob");
  }, 60_000);
  afterAll(async () => t?.close());

  async function pendingRun() {
    const fx = await gainShareTenant(t.db, { actor: alice, now, anchorAt });
    const run = await createGainShareRun(t.db, { tenantId: fx.tenantId, period: "2026-03", sharePercent: "15", actor: alice, now });
    return { ...fx, run };
  }

  async function gainShareLines(tenantId: string) {
    return t.db
      .select({ invoiceId: invoiceLines.invoiceId, amount: invoiceLines.amount, code: invoiceLines.code, number: invoices.number })
      .from(invoiceLines)
      .innerJoin(invoices, and(eq(invoices.tenantId, invoiceLines.tenantId), eq(invoices.id, invoiceLines.invoiceId)))
      .where(and(eq(invoiceLines.tenantId, tenantId), eq(invoiceLines.kind, "gain_share")));
  }

  it("two admins deciding one run at once: one decision wins, the other gets a clear 409", async () => {
    for (let i = 0; i < 6; i++) {
      const { tenantId, run } = await pendingRun();
      const results = await Promise.allSettled([
        decideGainShareRun(t.db, { tenantId, runId: run.id, decision: "approved", comment: "alice approves", actor: alice, now }),
        decideGainShareRun(t.db, { tenantId, runId: run.id, decision: "rejected", comment: "bob rejects", actor: bob, now }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const err = lost[0].reason as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect([err.status, err.code]).toEqual([409, "already_decided"]);
      const winner = (won[0] as PromiseFulfilledResult<{ status: string; decidedBy: string | null }>).value;
      const winnerEmail = winner.decidedBy === alice.userId ? alice.label : bob.label;
      expect(err.message).toContain(`This run was already ${winner.status} by ${winnerEmail}`);

      const [stored] = await t.db.select().from(gainShareRuns).where(and(eq(gainShareRuns.tenantId, tenantId), eq(gainShareRuns.id, run.id)));
      expect([stored.status, stored.decidedBy]).toEqual([winner.status, winner.decidedBy]);
      const decisions = await t.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.entityId, run.id)));
      expect(decisions.filter((a) => a.action !== "gain_share_run.created")).toHaveLength(1);
      const notes = await t.db.select().from(notifications).where(eq(notifications.tenantId, tenantId));
      expect(notes.filter((n) => n.kind !== "gain_share_run_created")).toHaveLength(1);
    }
  });

  it("two overlapping invoice runs put an approved fee on exactly one invoice", async () => {
    const { tenantId, run } = await pendingRun();
    await decideGainShareRun(t.db, { tenantId, runId: run.id, decision: "approved", comment: "ok", actor: alice, now });
    await Promise.all([
      closeDuePeriods(t.db, { now, config: TEST_BILLING, concurrency: 2 }),
      closeDuePeriods(t.db, { now, config: TEST_BILLING, concurrency: 2 }),
    ]);
    await closeDuePeriods(t.db, { now, config: TEST_BILLING });
    await closeDuePeriods(t.db, { now: nextMonth, config: TEST_BILLING });
    const lines = await gainShareLines(tenantId);
    expect(lines).toHaveLength(1);
    expect(Number(lines[0].amount)).toBe(10125);
    expect(lines[0].code).toBe(`gain_share:${run.id}`);
    const [stored] = await t.db.select().from(gainShareRuns).where(eq(gainShareRuns.id, run.id));
    expect(stored.invoicedInvoiceId).toBe(lines[0].invoiceId);
  });

  it("an approval overlapping an invoice run is billed exactly once (this invoice or the next)", async () => {
    const placements: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { tenantId, run } = await pendingRun();
      await Promise.all([
        decideGainShareRun(t.db, { tenantId, runId: run.id, decision: "approved", comment: "ok", actor: alice, now }),
        closeDuePeriods(t.db, { now, config: TEST_BILLING }),
      ]);
      await closeDuePeriods(t.db, { now: nextMonth, config: TEST_BILLING });
      const lines = await gainShareLines(tenantId);
      expect(lines).toHaveLength(1);
      const [stored] = await t.db.select().from(gainShareRuns).where(eq(gainShareRuns.id, run.id));
      expect(stored.invoicedInvoiceId).toBe(lines[0].invoiceId);
      placements.push(lines[0].number);
    }
    expect(placements).toHaveLength(5);
  });

  // Real overlapping transactions need the real Postgres (PGlite runs one transaction at a time).
  if (kind !== "postgres") return;

  it("an approval committed while the invoice transaction is open is billed once", async () => {
    const { tenantId, run, subscriptionId } = await pendingRun();
    let approvedInside = false;
    await closeDuePeriods(t.db, {
      now,
      config: TEST_BILLING,
      beforeCommit: async (item) => {
        if (item.subscriptionId !== subscriptionId || approvedInside) return;
        approvedInside = true;
        // Another connection approves after this invoice claimed its runs, before it commits.
        await decideGainShareRun(t.db, { tenantId, runId: run.id, decision: "approved", comment: "ok", actor: bob, now });
      },
    });
    expect(approvedInside).toBe(true);
    // Whether this invoice or the next carries it depends on where the close claims (before or after the
    // hook); either way the fee is billed once.
    expect((await gainShareLines(tenantId)).length).toBeLessThanOrEqual(1);
    await closeDuePeriods(t.db, { now: nextMonth, config: TEST_BILLING });
    const lines = await gainShareLines(tenantId);
    expect(lines).toHaveLength(1);
    const [stored] = await t.db.select().from(gainShareRuns).where(eq(gainShareRuns.id, run.id));
    expect(stored.invoicedInvoiceId).toBe(lines[0].invoiceId);
  });

  it("an approval still uncommitted while an invoice claims is billed once, on that invoice or the next", async () => {
    const { tenantId, run, subscriptionId } = await pendingRun();
    // Hold the approval's row lock open, start the invoice run, then commit the approval.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const approval = t.db.transaction(async (tx) => {
      await tx
        .update(gainShareRuns)
        .set({ status: "approved", decidedBy: alice.userId, decidedAt: now, decisionComment: "ok" })
        .where(and(eq(gainShareRuns.tenantId, tenantId), eq(gainShareRuns.id, run.id), eq(gainShareRuns.status, "pending_approval")));
      locked();
      await gate;
    });
    await isLocked;
    const closing = closeDuePeriods(t.db, { now, config: TEST_BILLING });
    await new Promise((r) => setTimeout(r, 300)); // let the invoice reach the claim and block on the row
    release();
    await approval;
    const result = await closing;
    expect(result.invoices.filter((i) => i.tenantId === tenantId)).toHaveLength(1);
    // The claim's snapshot saw the run pending, so (as Postgres UPDATE does) it neither waited nor took it.
    expect(await gainShareLines(tenantId)).toHaveLength(0);
    await closeDuePeriods(t.db, { now: nextMonth, config: TEST_BILLING });
    const lines = await gainShareLines(tenantId);
    expect(lines).toHaveLength(1);
    const [stored] = await t.db.select().from(gainShareRuns).where(eq(gainShareRuns.id, run.id));
    expect(stored.invoicedInvoiceId).toBe(lines[0].invoiceId);
    void subscriptionId;
  });
});
