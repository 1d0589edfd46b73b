import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createUser } from "@/db/seed/fixtures";
import { auditLog, notifications, paymentAttempts, subscriptions } from "@/db/schema";
import { StripeStandIn, fixture, stripeEvent } from "@/lib/integrations/stripe/testing/stripe-stand-in";
import { APP_URL, CLOSE_AT, invoiceRow, standInClient, tenantWithOpenInvoice } from "@/lib/integrations/stripe/testing/billing-fixture";
import { bindWebhook, deliver } from "@/lib/integrations/stripe/testing/webhook-support";
import { stripeCollector } from "@/lib/integrations/stripe/stripe-collector";
import { runStripeSync } from "@/lib/integrations/stripe/sync/run-stripe-sync";
import { createApiKey } from "@/lib/services/api-keys/api-keys";
import { usagePoster } from "@/lib/services/usage/testing";
import { recordOfflinePaymentFailure, recordOfflinePaymentReceived } from "./offline-payments";
import { runDunning } from "./run-dunning";

const DAY = 86_400_000;

describe.each(testDbKinds())("dunning on %s", (kind) => {
  let t: TestDb;
  let standIn: StripeStandIn;
  beforeAll(async () => {
    t = await createTestDb(kind);
    standIn = await new StripeStandIn().start();
  });
  afterAll(async () => {
    await standIn?.stop();
    await t?.close();
  });

  const subOf = async (id: string) => (await t.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0];
  const mailKinds = async (tenantId: string) =>
    (await t.db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.tenantId, tenantId)).orderBy(asc(notifications.createdAt))).map((m) => m.kind);
  const auditActions = async (tenantId: string, prefix: string) =>
    (await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(asc(auditLog.createdAt)))
      .map((a) => a.action)
      .filter((a) => a.startsWith(prefix));

  it("with Stripe: payment_failed → grace → retries on days 1, 3, 7 → past_due → suspended, and back to ok on invoice.paid", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "stripe-dunning", stripeEnabled: true });
    const stripe = standInClient(standIn);
    const handler = bindWebhook(t.db, stripe);
    // Pushed to Stripe; the card is declined from now on.
    standIn.paymentOutcome = "decline";
    const t0 = new Date(CLOSE_AT.getTime() + 60_000);
    await runStripeSync(t.db, { now: t0, stripe, appUrl: APP_URL });
    const sid = (await invoiceRow(t.db, f.invoice.id)).stripeInvoiceId!;
    let sub = await subOf(f.subscriptionId);
    expect(sub).toMatchObject({ dunningState: "grace" });
    expect(sub.dunningSince!.toISOString()).toBe(t0.toISOString());

    // Stripe's own invoice.payment_failed for the same attempt arrives: nothing more happens.
    const remote = { ...standIn.invoices.get(sid)! };
    const failed = await deliver(handler, stripeEvent({ id: "evt_pf_1", type: "invoice.payment_failed", object: remote, created: Math.floor(t0.getTime() / 1000) }));
    expect(failed).toMatchObject({ status: 200, body: { outcome: "processed" } });
    expect(await t.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, f.invoice.id))).toHaveLength(1);

    const collector = stripeCollector(stripe, APP_URL);
    const tick = (days: number) => runDunning(t.db, { now: new Date(t0.getTime() + days * DAY), collector, appUrl: APP_URL });
    const expectations: [number, string, number][] = [
      // [day, state after the run, attempts stored]
      [0.5, "grace", 1],
      [1, "grace", 2],
      [2, "grace", 2],
      [3, "grace", 3],
      [6.9, "grace", 3],
      [7, "past_due", 4],
      [13, "past_due", 4],
      [14, "suspended", 4],
      [20, "suspended", 4],
    ];
    for (const [day, state, attempts] of expectations) {
      const out = await tick(day);
      expect(out.errors, `day ${day}`).toEqual([]);
      sub = await subOf(f.subscriptionId);
      expect(sub.dunningState, `day ${day}`).toBe(state);
      const rows = await t.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, f.invoice.id)).orderBy(asc(paymentAttempts.attemptNo));
      expect(rows.length, `day ${day}`).toBe(attempts);
      expect(rows.every((r) => r.status === "failed"), `day ${day}`).toBe(true);
    }
    // Each retry charged Stripe once, with a key per attempt.
    const pays = standIn.callsTo("POST", new RegExp(`^/v1/invoices/${sid}/pay$`));
    expect(pays.map((c) => c.idempotencyKey)).toEqual([1, 2, 3, 4].map((n) => `meterline-invoice-${f.invoice.id}-pay-${n}`));
    expect(await auditActions(f.tenantId, "dunning.")).toEqual([
      "dunning.grace",
      "dunning.retry_scheduled",
      "dunning.retry_scheduled",
      "dunning.past_due",
      "dunning.retry_scheduled",
      "dunning.suspended",
    ]);
    expect(await mailKinds(f.tenantId)).toEqual([
      "invoice_issued",
      "payment_failed",
      "payment_retry_failed",
      "payment_retry_failed",
      "dunning_past_due",
      "payment_retry_failed",
      "dunning_suspended",
    ]);
    expect((await invoiceRow(t.db, f.invoice.id)).status).toBe("open"); // nothing deleted, nothing written off

    // The customer pays (e.g. after fixing the card in the Portal): invoice.paid returns the tenant to ok at once.
    standIn.paymentOutcome = "succeed";
    const paidAt = Math.floor(t0.getTime() / 1000) + 21 * 86_400;
    const paidObj = { ...standIn.invoices.get(sid)!, status: "paid", amount_paid: 1079150, status_transitions: { finalized_at: 1, paid_at: paidAt, voided_at: null, marked_uncollectible_at: null } };
    expect(await deliver(handler, stripeEvent({ id: "evt_paid_1", type: "invoice.paid", object: paidObj, created: paidAt }))).toMatchObject({ status: 200 });
    sub = await subOf(f.subscriptionId);
    expect(sub).toMatchObject({ dunningState: "ok", dunningSince: null });
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "paid" });
    expect((await mailKinds(f.tenantId)).slice(-2).sort()).toEqual(["payment_recovered", "payment_succeeded"]);
    expect((await auditActions(f.tenantId, "dunning.")).at(-1)).toBe("dunning.recovered");
    // A late dunning run changes nothing.
    const late = await tick(22);
    expect(late.counts.evaluated).toBe(0);
    expect((await subOf(f.subscriptionId)).dunningState).toBe("ok");
  });

  it("without Stripe: an admin records a failed payment; reminders on the schedule; suspended; a recorded payment restores ok at once", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "offline-dunning", stripeEnabled: false });
    const admin = await createUser(t.db, { email: "ops@meterline.test", name: "Ops", password: "x-very-secret-1" });
    const t0 = new Date("2026-03-02T09:00:00Z");
    const r = await recordOfflinePaymentFailure(t.db, { invoiceId: f.invoice.id, reason: "cheque bounced", actorUserId: admin.id, now: t0, appUrl: APP_URL });
    expect(r).toMatchObject({ applied: true, attemptNo: 1, state: "grace" });
    // The same report again is a new attempt (an admin records each one), but the state machine does not move back.
    const tick = (days: number) => runDunning(t.db, { now: new Date(t0.getTime() + days * DAY), appUrl: APP_URL });
    for (const day of [1, 3]) {
      const out = await tick(day);
      expect(out.counts).toMatchObject({ retries_scheduled: 1, reminders: 1 });
    }
    expect((await subOf(f.subscriptionId)).dunningState).toBe("grace");
    await tick(7);
    expect((await subOf(f.subscriptionId)).dunningState).toBe("past_due");
    await tick(14);
    expect((await subOf(f.subscriptionId)).dunningState).toBe("suspended");
    const attempts = await t.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, f.invoice.id)).orderBy(asc(paymentAttempts.attemptNo));
    expect(attempts.map((a) => [a.attemptNo, a.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "failed"],
      [4, "failed"],
    ]);
    expect(attempts[1].failureReason).toMatch(/reminder sent/);
    expect(await mailKinds(f.tenantId)).toEqual([
      "invoice_issued",
      "payment_failed",
      "payment_reminder",
      "payment_reminder",
      "dunning_past_due",
      "payment_reminder",
      "dunning_suspended",
    ]);
    const [suspendedAudit] = await t.db.select().from(auditLog).where(and(eq(auditLog.tenantId, f.tenantId), eq(auditLog.action, "dunning.suspended")));
    expect(suspendedAudit).toMatchObject({ actorKind: "system", entityId: f.subscriptionId });
    const [graceAudit] = await t.db.select().from(auditLog).where(and(eq(auditLog.tenantId, f.tenantId), eq(auditLog.action, "dunning.grace")));
    expect(graceAudit).toMatchObject({ actorKind: "operator_admin", actorUserId: admin.id });

    // Suspended: ingestion refuses usage with 402; nothing is deleted.
    const { key } = await createApiKey(t.db, { tenantId: f.tenantId, name: "meter" });
    const post = usagePoster(t.db, { now: () => new Date("2026-03-20T00:00:00Z") });
    const refused = await post(key, { event_type: "LLM_token_usage", quantity: "1", idempotency_key: "while-suspended" });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("subscription_suspended");

    // Running the same day twice changes nothing (idempotent).
    const again = await tick(14);
    expect(again.counts).toMatchObject({ state_changes: 0, retries_scheduled: 0 });

    await recordOfflinePaymentReceived(t.db, { invoiceId: f.invoice.id, amount: f.invoice.total, reference: "wire 4471", actorUserId: admin.id, now: new Date(t0.getTime() + 15 * DAY), appUrl: APP_URL });
    expect(await subOf(f.subscriptionId)).toMatchObject({ dunningState: "ok", dunningSince: null });
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "paid" });
    expect((await mailKinds(f.tenantId)).slice(-2).sort()).toEqual(["payment_recovered", "payment_succeeded"]);
    const accepted = await post(key, { event_type: "LLM_token_usage", quantity: "1", idempotency_key: "after-payment" });
    expect(accepted.status).toBe(200);
  });

  it("a tenant whose unpaid invoice is settled elsewhere (e.g. voided or paid by the billing service alone) returns to ok on the next run", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "reconcile", stripeEnabled: false });
    const t0 = new Date("2026-03-05T00:00:00Z");
    const admin = await createUser(t.db, { email: "ops2@meterline.test", name: "Ops", password: "x-very-secret-1" });
    await recordOfflinePaymentFailure(t.db, { invoiceId: f.invoice.id, reason: "declined", actorUserId: admin.id, now: t0, appUrl: APP_URL });
    const { recordOfflinePayment } = await import("@/lib/services/billing/invoice-lifecycle");
    await recordOfflinePayment(t.db, { invoiceId: f.invoice.id, amount: f.invoice.total, reference: "cash", actor: { userId: admin.id, kind: "operator_admin" } });
    expect((await subOf(f.subscriptionId)).dunningState).toBe("grace");
    const out = await runDunning(t.db, { now: new Date(t0.getTime() + DAY), appUrl: APP_URL });
    expect(out.counts).toMatchObject({ recovered: 1 });
    expect((await subOf(f.subscriptionId)).dunningState).toBe("ok");
  });

  it("a failure reported after the invoice was paid changes nothing (order of events)", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "late-failure", stripeEnabled: false });
    const handler = bindWebhook(t.db, null);
    const base = { id: "in_late_1", customer: "cus_late", currency: "cad", metadata: { meterline_invoice_id: f.invoice.id }, hosted_invoice_url: "https://invoice.stripe.test/i/in_late_1" };
    const paid = fixture("invoice", { ...base, status: "paid", attempt_count: 2, status_transitions: { paid_at: 1772400000, finalized_at: 1772237100 } });
    const failed = fixture("invoice", { ...base, status: "open", attempt_count: 1, last_finalization_error: null });
    await deliver(handler, stripeEvent({ id: "evt_late_paid", type: "invoice.paid", object: paid, created: 1772400000 }));
    await deliver(handler, stripeEvent({ id: "evt_late_failed", type: "invoice.payment_failed", object: failed, created: 1772300000 }));
    expect((await subOf(f.subscriptionId)).dunningState).toBe("ok");
    expect(await t.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, f.invoice.id))).toHaveLength(0);
  });
});
