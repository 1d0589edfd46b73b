import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { createTestDb, hasRealPostgres, testDbKinds, type TestDb } from "@/db/testing";
import { auditLog, notifications, payments, planVersions, plans, stripeWebhookEvents, subscriptions, tenants } from "@/db/schema";
import { StripeStandIn, fixture, stripeEvent } from "../testing/stripe-stand-in";
import { invoiceRow, standInClient, tenantsWithOpenInvoices, tenantWithOpenInvoice } from "../testing/billing-fixture";
import { bindWebhook, deliver, sign, webhookRequest } from "../testing/webhook-support";
import { webhookHandlers } from "./handlers";
import { replayStripeEvent } from "./process-event";

let seq = 0;
const uid = (p: string) => `${p}_${Date.now().toString(36)}${(++seq).toString(36)}`;

function paidInvoiceObject(p: { sid: string; invoiceId: string; customer: string; status: "draft" | "open" | "paid"; amount?: number; attempts?: number }) {
  return fixture("invoice", {
    id: p.sid,
    customer: p.customer,
    currency: "cad",
    status: p.status,
    metadata: { meterline_invoice_id: p.invoiceId },
    hosted_invoice_url: p.status === "draft" ? null : `https://invoice.stripe.test/i/${p.sid}`,
    amount_due: p.amount ?? 1079150,
    amount_paid: p.status === "paid" ? (p.amount ?? 1079150) : 0,
    attempt_count: p.attempts ?? (p.status === "paid" ? 1 : 0),
    last_finalization_error: null,
    status_transitions: { finalized_at: p.status === "draft" ? null : 1772237100, paid_at: p.status === "paid" ? 1772237200 : null, voided_at: null, marked_uncollectible_at: null },
  });
}

describe.each(testDbKinds())("POST /api/webhooks/stripe on %s", (kind) => {
  let t: TestDb;
  let standIn: StripeStandIn;
  let handler: ReturnType<typeof bindWebhook>;
  beforeAll(async () => {
    t = await createTestDb(kind);
    standIn = await new StripeStandIn().start();
    handler = bindWebhook(t.db, standInClient(standIn));
  });
  afterAll(async () => {
    await standIn?.stop();
    await t?.close();
  });

  const eventRows = async (id: string) => t.db.select().from(stripeWebhookEvents).where(eq(stripeWebhookEvents.id, id));

  it("refuses a tampered body, a wrong secret, a missing header and a timestamp 301 s old (400, nothing written)", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "sig", stripeEnabled: false });
    const sid = uid("in");
    const event = stripeEvent({ id: uid("evt"), type: "invoice.paid", object: paidInvoiceObject({ sid, invoiceId: f.invoice.id, customer: "cus_x", status: "paid" }) });
    const body = JSON.stringify(event);
    const now = Math.floor(Date.now() / 1000);
    const tampered = body.replace('"amount_paid":1079150', '"amount_paid":1');
    expect(tampered).not.toBe(body);
    const cases: [string, Request][] = [
      ["tampered body", webhookRequest(tampered, sign(body))],
      ["wrong secret", webhookRequest(body, sign(body, { secret: "whsec_not_the_right_one" }))],
      ["missing header", webhookRequest(body, null)],
      ["301 s old", webhookRequest(body, sign(body, { timestamp: now - 301 }))],
      ["garbage header", webhookRequest(body, "t=1,v1=deadbeef")],
    ];
    for (const [name, req] of cases) {
      const res = await handler(req);
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe("invalid_signature");
    }
    expect(await eventRows(String(event.id))).toHaveLength(0);
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "open", stripeInvoiceId: null });
    expect(await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id))).toHaveLength(0);

    // The same body correctly signed 299 s ago is accepted: the refusals above were about the signature.
    const ok = await handler(webhookRequest(body, sign(body, { timestamp: now - 299 })));
    expect(ok.status).toBe(200);
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "paid", stripeInvoiceId: sid });
  });

  it("stores an event once: a duplicate answers 200 and changes nothing; unknown types are stored as ignored", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "dup", stripeEnabled: false });
    const event = stripeEvent({ id: uid("evt"), type: "invoice.paid", object: paidInvoiceObject({ sid: uid("in"), invoiceId: f.invoice.id, customer: "cus_x", status: "paid" }) });
    expect(await deliver(handler, event)).toMatchObject({ status: 200, body: { outcome: "processed" } });
    const audits = await t.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.tenantId, f.tenantId));
    expect(await deliver(handler, event)).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    const audits2 = await t.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.tenantId, f.tenantId));
    expect(audits2[0].n).toBe(audits[0].n);
    expect(await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id))).toHaveLength(1);
    expect(await eventRows(String(event.id))).toMatchObject([{ outcome: "processed", tenantId: f.tenantId, type: "invoice.paid" }]);

    const unknown = stripeEvent({ id: uid("evt"), type: "charge.dispute.funds_reinstated", object: { id: "du_1", object: "dispute" } });
    expect(await deliver(handler, unknown)).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect(await eventRows(String(unknown.id))).toMatchObject([{ outcome: "ignored" }]);
  });

  it("a handler failure answers 500, rolls its effects back, and does not block Stripe's retry", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "fail", stripeEnabled: false });
    const event = stripeEvent({ id: uid("evt"), type: "invoice.paid", object: paidInvoiceObject({ sid: uid("in"), invoiceId: f.invoice.id, customer: "cus_x", status: "paid" }) });
    const real = webhookHandlers["invoice.paid"]!;
    webhookHandlers["invoice.paid"] = {
      apply: async (ctx) => {
        await real.apply(ctx);
        throw new Error("boom after the effects");
      },
    };
    try {
      const res = await deliver(handler, event);
      expect(res.status).toBe(500);
      expect(res.body.error?.code).toBe("webhook_handler_failed");
    } finally {
      webhookHandlers["invoice.paid"] = real;
    }
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "open", stripeInvoiceId: null });
    expect(await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id))).toHaveLength(0);
    const [failed] = await eventRows(String(event.id));
    expect(failed).toMatchObject({ outcome: "failed" });
    expect(failed.error).toMatch(/boom after the effects/);

    // Stripe retries: processed, once.
    expect(await deliver(handler, event)).toMatchObject({ status: 200, body: { outcome: "processed" } });
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "paid" });
    expect(await eventRows(String(event.id))).toMatchObject([{ outcome: "processed", error: null }]);
    expect(await deliver(handler, event)).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id))).toHaveLength(1);
  });

  it("a failed re-fetch from Stripe is a 500 too, and the retry succeeds", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "refetch", stripeEnabled: false });
    const customer = uid("cus");
    await t.db.update(tenants).set({ stripeCustomerId: customer }).where(eq(tenants.id, f.tenantId));
    const sub = standIn.putSubscription({ id: uid("sub"), customer, status: "active", metadata: { meterline_tenant_id: f.tenantId } });
    const event = stripeEvent({ id: uid("evt"), type: "customer.subscription.created", object: sub });
    standIn.failNext("GET", new RegExp(`^/v1/subscriptions/${String(sub.id)}$`), { status: 500 });
    expect((await deliver(handler, event)).status).toBe(500);
    expect(await eventRows(String(event.id))).toMatchObject([{ outcome: "failed" }]);
    expect(await deliver(handler, event)).toMatchObject({ status: 200, body: { outcome: "processed" } });
    const [row] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(row.stripeSubscriptionId).toBe(sub.id);
  });

  it("checkout.session.completed links the customer and applies the chosen plan (a downgrade waits for the period end)", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "checkout-done", stripeEnabled: false });
    const customer = uid("cus");
    const session = fixture("checkout.session", {
      id: uid("cs_test"),
      mode: "setup",
      status: "complete",
      customer,
      client_reference_id: f.tenantId,
      metadata: { meterline_tenant_id: f.tenantId, meterline_plan_code: "STARTER" },
    });
    const event = stripeEvent({ id: uid("evt"), type: "checkout.session.completed", object: session, created: Math.floor(Date.parse("2026-03-10T00:00:00Z") / 1000) });
    expect(await deliver(handler, event)).toMatchObject({ status: 200, body: { outcome: "processed" } });
    const [tenant] = await t.db.select().from(tenants).where(eq(tenants.id, f.tenantId));
    expect(tenant.stripeCustomerId).toBe(customer);
    const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub.planVersionId).toBe(f.planVersionId); // still PRO this period
    expect(sub.pendingPlanVersionId).not.toBeNull();
    const [starter] = await t.db
      .select({ pv: planVersions.id })
      .from(plans)
      .innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.currentVersion)))
      .where(and(eq(plans.catalogCode, "reliability-ai"), eq(plans.code, "STARTER")));
    expect(sub.pendingPlanVersionId).toBe(starter.pv);
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.tenantId, f.tenantId), eq(auditLog.action, "stripe.checkout_completed")))).toHaveLength(1);
  });

  it(`ten concurrent deliveries of one event have their effects once${hasRealPostgres() && kind === "postgres" ? " (real Postgres)" : ""}`, async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "ten", stripeEnabled: false });
    const event = stripeEvent({ id: uid("evt"), type: "invoice.paid", object: paidInvoiceObject({ sid: uid("in"), invoiceId: f.invoice.id, customer: "cus_x", status: "paid" }) });
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(handler, event)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => r.body.outcome === "processed")).toHaveLength(1);
    expect(results.filter((r) => r.body.outcome === "duplicate")).toHaveLength(9);
    expect(await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id))).toHaveLength(1);
    expect(await t.db.select().from(notifications).where(and(eq(notifications.tenantId, f.tenantId), eq(notifications.kind, "payment_succeeded")))).toHaveLength(1);
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.tenantId, f.tenantId), eq(auditLog.action, "invoice.payment_recorded")))).toHaveLength(1);
    expect(await eventRows(String(event.id))).toHaveLength(1);
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "paid", amountPaid: f.invoice.total });
  });

  it("an admin replay re-runs the stored event without duplicating its effects", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: "replay", stripeEnabled: false });
    const event = stripeEvent({ id: uid("evt"), type: "invoice.paid", object: paidInvoiceObject({ sid: uid("in"), invoiceId: f.invoice.id, customer: "cus_x", status: "paid" }) });
    await deliver(handler, event);
    const r = await replayStripeEvent(t.db, String(event.id), { stripe: null, appUrl: "http://meterline.test" });
    expect(r).toMatchObject({ status: 200, outcome: "processed" });
    expect(await eventRows(String(event.id))).toMatchObject([{ replayCount: 1, outcome: "processed" }]);
    expect(await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id))).toHaveLength(1);
    expect(await replayStripeEvent(t.db, "evt_missing", { stripe: null, appUrl: "x" })).toBeNull();
  });

  it("every one of the 120 orders of subscription.created/updated and invoice.created/finalized/paid ends in the same state", async () => {
    const orders = permutations([0, 1, 2, 3, 4]);
    expect(orders).toHaveLength(120);
    const [enterprise] = await t.db
      .select({ pv: planVersions.id })
      .from(plans)
      .innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.currentVersion)))
      .where(and(eq(plans.catalogCode, "reliability-ai"), eq(plans.code, "ENTERPRISE")));
    const states: string[] = [];
    const fs = await tenantsWithOpenInvoices(t.db, { slugs: orders.map((_, i) => `perm-${i}`), stripeEnabled: false });
    for (const [i, order] of orders.entries()) {
      const f = fs[i];
      const customer = uid("cus");
      await t.db.update(tenants).set({ stripeCustomerId: customer }).where(eq(tenants.id, f.tenantId));
      const subId = uid("sub");
      const sid = uid("in");
      const subBase = { id: subId, customer, metadata: { meterline_tenant_id: f.tenantId, meterline_plan_code: "ENTERPRISE" } };
      standIn.putSubscription({ ...subBase, status: "active" }); // what a re-fetch sees: Stripe's current state
      const events = [
        stripeEvent({ id: uid("evt"), type: "customer.subscription.created", object: fixture("subscription", { ...subBase, status: "incomplete" }), created: 1772237000 }),
        stripeEvent({ id: uid("evt"), type: "customer.subscription.updated", object: fixture("subscription", { ...subBase, status: "active" }), created: 1772237050 }),
        stripeEvent({ id: uid("evt"), type: "invoice.created", object: paidInvoiceObject({ sid, invoiceId: f.invoice.id, customer, status: "draft" }), created: 1772237060 }),
        stripeEvent({ id: uid("evt"), type: "invoice.finalized", object: paidInvoiceObject({ sid, invoiceId: f.invoice.id, customer, status: "open" }), created: 1772237100 }),
        stripeEvent({ id: uid("evt"), type: "invoice.paid", object: paidInvoiceObject({ sid, invoiceId: f.invoice.id, customer, status: "paid" }), created: 1772237200 }),
      ];
      for (const k of order) {
        const r = await deliver(handler, events[k]);
        expect(r.status).toBe(200);
      }
      const inv = await invoiceRow(t.db, f.invoice.id);
      const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
      const pays = await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id));
      const mails = await t.db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.tenantId, f.tenantId));
      const audits = await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.tenantId, f.tenantId));
      const evs = await t.db.select({ type: stripeWebhookEvents.type, outcome: stripeWebhookEvents.outcome }).from(stripeWebhookEvents).where(eq(stripeWebhookEvents.tenantId, f.tenantId));
      const state = {
        invoice: {
          status: inv.status,
          stripeInvoiceId: inv.stripeInvoiceId === sid,
          hosted: inv.stripeHostedUrl === `https://invoice.stripe.test/i/${sid}`,
          amountPaid: inv.amountPaid,
          paidAt: inv.paidAt?.toISOString(),
        },
        subscription: { stripe: sub.stripeSubscriptionId === subId, plan: sub.planVersionId === enterprise.pv, pending: sub.pendingPlanVersionId, dunning: sub.dunningState },
        payments: pays.map((p) => [p.method, p.amount, p.receivedAt.toISOString()]),
        mails: mails.map((m) => m.kind).sort(),
        audits: audits.map((a) => a.action).sort(),
        events: evs.map((e) => `${e.type}:${e.outcome}`).sort(),
      };
      states.push(JSON.stringify(state));
      if (i === 0) {
        expect(state.invoice).toEqual({ status: "paid", stripeInvoiceId: true, hosted: true, amountPaid: f.invoice.total, paidAt: new Date(1772237200 * 1000).toISOString() });
        // PRO → ENTERPRISE is an upgrade: applied at once (docs/plan-changes.md).
        expect(state.subscription).toEqual({ stripe: true, plan: true, pending: null, dunning: "ok" });
        expect(state.payments).toHaveLength(1);
        expect(state.mails).toEqual(["invoice_issued", "payment_succeeded"]);
        expect(state.audits).toEqual(["invoice.payment_recorded", "stripe.subscription_linked", "subscription.plan_upgraded"]);
        expect(state.events).toHaveLength(5);
      }
    }
    expect(new Set(states).size).toBe(1);
  }, 300_000);
});

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

