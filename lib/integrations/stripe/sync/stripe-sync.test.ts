import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { notifications, paymentAttempts, payments, stripeMeterSyncs, subscriptions, tenants, usageDailyRollups } from "@/db/schema";
import { StripeStandIn } from "../testing/stripe-stand-in";
import { APP_URL, CLOSE_AT, invoiceRow, standInClient, tenantWithOpenInvoice } from "../testing/billing-fixture";
import { toMinorUnits } from "../minor-units";
import { MAX_SYNC_ATTEMPTS, runStripeSync, syncBackoffMs } from "./run-stripe-sync";

const at = (ms: number) => new Date(CLOSE_AT.getTime() + ms);

describe.each(testDbKinds())("stripe-sync on %s", (kind) => {
  let t: TestDb;
  let standIn: StripeStandIn;
  let n = 0;
  beforeAll(async () => {
    t = await createTestDb(kind);
    standIn = await new StripeStandIn().start();
  });
  afterAll(async () => {
    await standIn?.stop();
    await t?.close();
  });
  beforeEach(() => {
    standIn.paymentOutcome = "succeed";
    n += 1;
  });

  it("without Stripe: invoices are not for Stripe and the run is a logged no-op", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: `nostripe-${n}`, stripeEnabled: false });
    expect(f.invoice).toMatchObject({ status: "open", stripeSyncStatus: "not_applicable", stripeNextSyncAt: null });
    const logs: string[] = [];
    const before = standIn.calls.length;
    const out = await runStripeSync(t.db, { now: at(60_000), stripe: null, appUrl: APP_URL, log: (m) => logs.push(m) });
    expect(out.counts).toEqual({ stripe_configured: 0, claimed: 0, synced: 0 });
    expect(logs.join("\n")).toMatch(/STRIPE_SECRET_KEY is not set/);
    expect(standIn.calls.length).toBe(before);
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "open", stripeSyncStatus: "not_applicable", stripeInvoiceId: null });
  });

  it("pushes a finalized invoice with the same lines in minor units, keyed by our invoice id, and collects it", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: `push-${n}`, stripeEnabled: true });
    expect(f.invoice.stripeSyncStatus).toBe("pending");
    const stripe = standInClient(standIn);
    const out = await runStripeSync(t.db, { now: at(1000), stripe, appUrl: APP_URL });
    expect(out.counts).toMatchObject({ claimed: 1, synced: 1, paid: 1, retry_later: 0 });

    const inv = await invoiceRow(t.db, f.invoice.id);
    expect(inv).toMatchObject({ stripeSyncStatus: "synced", status: "paid", stripeLastError: null, stripeNextSyncAt: null });
    expect(inv.stripeInvoiceId).toMatch(/^in_/);
    expect(inv.stripeHostedUrl).toBe(`https://invoice.stripe.test/i/${inv.stripeInvoiceId}`);
    expect(Number(inv.amountPaid)).toBe(Number(inv.total));

    const [tenant] = await t.db.select().from(tenants).where(eq(tenants.id, f.tenantId));
    const customer = standIn.customers.get(tenant.stripeCustomerId!)!;
    expect(customer.metadata).toMatchObject({ meterline_tenant_id: f.tenantId });

    const remote = standIn.invoices.get(inv.stripeInvoiceId!)!;
    expect(remote).toMatchObject({ status: "paid", currency: "cad", customer: tenant.stripeCustomerId, metadata: { meterline_invoice_id: f.invoice.id } });
    const remoteLines = (remote.lines as { data: { amount: number; description: string; metadata: Record<string, string> }[] }).data;
    expect(remoteLines.map((l) => [l.metadata.meterline_line_position, l.amount])).toEqual(f.lines.map((l) => [String(l.position), Number(toMinorUnits(l.amount, "CAD"))]));
    expect(remote.total).toBe(1079150); // 10,791.50 CAD
    expect(String(remote.total)).toBe(toMinorUnits(inv.total, "CAD"));

    // Every write carried an idempotency key derived from our invoice id.
    const writes = standIn.calls.filter((c) => c.method === "POST" && /^\/v1\/(invoices|invoiceitems)/.test(c.path));
    expect(writes.length).toBe(1 + f.lines.length + 2);
    for (const w of writes) expect(w.idempotencyKey).toMatch(new RegExp(`^meterline-invoice-${f.invoice.id}-`));
    expect(new Set(writes.map((w) => w.idempotencyKey)).size).toBe(writes.length);

    const pays = await t.db.select().from(payments).where(eq(payments.invoiceId, f.invoice.id));
    expect(pays).toHaveLength(1);
    expect(pays[0]).toMatchObject({ method: "stripe", reference: inv.stripeInvoiceId });

    // A second run finds nothing to do.
    const again = await runStripeSync(t.db, { now: at(600_000), stripe, appUrl: APP_URL });
    expect(again.counts.claimed).toBe(0);
  });

  it("backs off after a failure and resumes from stored state with no duplicate invoice, line or charge", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: `resume-${n}`, stripeEnabled: true });
    const stripe = standInClient(standIn);
    standIn.failNext("POST", /^\/v1\/invoices\/[^/]+\/finalize$/, { status: 500, message: "finalize exploded" });
    const first = await runStripeSync(t.db, { now: at(0), stripe, appUrl: APP_URL });
    expect(first.counts).toMatchObject({ claimed: 1, synced: 0, retry_later: 1 });
    let inv = await invoiceRow(t.db, f.invoice.id);
    expect(inv).toMatchObject({ stripeSyncStatus: "pending", stripeSyncAttempts: 1, status: "open" });
    expect(inv.stripeLastError).toMatch(/finalize exploded/);
    expect(inv.stripeNextSyncAt!.getTime()).toBe(at(syncBackoffMs(1)).getTime());
    const sid = inv.stripeInvoiceId!;
    expect(sid).toMatch(/^in_/);

    // Not yet due: nothing happens.
    const early = await runStripeSync(t.db, { now: at(syncBackoffMs(1) - 1), stripe, appUrl: APP_URL });
    expect(early.counts.claimed).toBe(0);

    const second = await runStripeSync(t.db, { now: at(syncBackoffMs(1)), stripe, appUrl: APP_URL });
    expect(second.counts).toMatchObject({ claimed: 1, synced: 1, paid: 1 });
    inv = await invoiceRow(t.db, f.invoice.id);
    expect(inv).toMatchObject({ stripeSyncStatus: "synced", stripeInvoiceId: sid, status: "paid", stripeSyncAttempts: 2 });
    const created = standIn.calls.filter((c) => c.method === "POST" && c.path === "/v1/invoices" && c.params.metadata && (c.params.metadata as Record<string, string>).meterline_invoice_id === f.invoice.id);
    expect(created).toHaveLength(1);
    const remote = standIn.invoices.get(sid)!;
    expect((remote.lines as { data: unknown[] }).data).toHaveLength(f.lines.length);
    expect(standIn.callsTo("POST", new RegExp(`^/v1/invoices/${sid}/pay$`)).filter((c) => c.status === 200)).toHaveLength(1);
  });

  it("after a crash that lost the Stripe id, the idempotency key returns the same Stripe invoice", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: `crash-${n}`, stripeEnabled: true });
    const stripe = standInClient(standIn);
    standIn.failNext("POST", /^\/v1\/invoiceitems$/, { status: 500 });
    await runStripeSync(t.db, { now: at(0), stripe, appUrl: APP_URL });
    const sid = (await invoiceRow(t.db, f.invoice.id)).stripeInvoiceId!;
    // The crash: the id was never stored, and the lease ran out.
    const { invoices } = await import("@/db/schema");
    await t.db.update(invoices).set({ stripeInvoiceId: null }).where(eq(invoices.id, f.invoice.id));
    await runStripeSync(t.db, { now: at(syncBackoffMs(1)), stripe, appUrl: APP_URL });
    const inv = await invoiceRow(t.db, f.invoice.id);
    expect(inv).toMatchObject({ stripeSyncStatus: "synced", stripeInvoiceId: sid, status: "paid" });
    const creates = standIn.calls.filter((c) => c.method === "POST" && c.path === "/v1/invoices" && c.idempotencyKey === `meterline-invoice-${f.invoice.id}-create`);
    expect(creates.map((c) => c.replayed)).toEqual([false, true]);
    expect((standIn.invoices.get(sid)!.lines as { data: unknown[] }).data).toHaveLength(f.lines.length);
  });

  it("a declined card leaves the invoice synced and open, stores attempt 1 and starts dunning", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: `decline-${n}`, stripeEnabled: true });
    standIn.paymentOutcome = "decline";
    const out = await runStripeSync(t.db, { now: at(0), stripe: standInClient(standIn), appUrl: APP_URL });
    expect(out.counts).toMatchObject({ synced: 1, declined: 1, paid: 0 });
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ stripeSyncStatus: "synced", status: "open" });
    const attempts = await t.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, f.invoice.id));
    expect(attempts).toMatchObject([{ attemptNo: 1, status: "failed" }]);
    expect(attempts[0].failureReason).toMatch(/insufficient funds/);
    const [sub] = await t.db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub).toMatchObject({ dunningState: "grace" });
    expect(sub.dunningSince!.toISOString()).toBe(at(0).toISOString());
    const mails = await t.db.select().from(notifications).where(and(eq(notifications.tenantId, f.tenantId), eq(notifications.kind, "payment_failed")));
    expect(mails).toHaveLength(1);
  });

  it(`gives up after ${MAX_SYNC_ATTEMPTS} failed attempts with backoff between them`, async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: `giveup-${n}`, stripeEnabled: true });
    const stripe = standInClient(standIn);
    // Every create fails (5xx answers are not stored under the idempotency key, so each attempt is real).
    standIn.failNext("POST", /^\/v1\/customers$/, { status: 500, count: MAX_SYNC_ATTEMPTS, message: "stripe is down" });
    let now = at(0);
    const waits: number[] = [];
    for (let i = 1; i <= MAX_SYNC_ATTEMPTS; i++) {
      await runStripeSync(t.db, { now, stripe, appUrl: APP_URL });
      const inv = await invoiceRow(t.db, f.invoice.id);
      expect(inv.stripeSyncAttempts).toBe(i);
      if (i < MAX_SYNC_ATTEMPTS) {
        expect(inv.stripeSyncStatus).toBe("pending");
        waits.push(inv.stripeNextSyncAt!.getTime() - now.getTime());
        now = inv.stripeNextSyncAt!;
      } else {
        expect(inv).toMatchObject({ stripeSyncStatus: "failed", stripeNextSyncAt: null });
        expect(inv.stripeLastError).toMatch(/stripe is down/);
      }
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64].map((m) => m * 60_000));
    const later = await runStripeSync(t.db, { now: at(86_400_000), stripe, appUrl: APP_URL });
    expect(later.counts.claimed).toBe(0);
  });

  it("two overlapping runs push each pending invoice once (SKIP LOCKED + lease)", async () => {
    const fs = await Promise.all([0, 1, 2].map(async (i) => tenantWithOpenInvoice(t.db, { slug: `overlap-${n}-${i}`, stripeEnabled: true })));
    const ids = new Set(fs.map((f) => f.invoice.id));
    const stripe = standInClient(standIn);
    const [a, b] = await Promise.all([
      runStripeSync(t.db, { now: at(5_000), stripe, appUrl: APP_URL, batch: 2 }),
      runStripeSync(t.db, { now: at(5_000), stripe, appUrl: APP_URL, batch: 2 }),
    ]);
    const more = await runStripeSync(t.db, { now: at(5_000), stripe, appUrl: APP_URL, batch: 2 });
    expect(a.counts.synced + b.counts.synced + more.counts.synced).toBe(3);
    const creates = standIn.calls.filter((c) => c.method === "POST" && c.path === "/v1/invoices" && ids.has((c.params.metadata as Record<string, string>).meterline_invoice_id));
    expect(creates.filter((c) => !c.replayed)).toHaveLength(3);
    for (const f of fs) expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ stripeSyncStatus: "synced", status: "paid" });
  });

  it("STRIPE_METER_SYNC: closed days of usage go to Stripe Billing Meters once, with deterministic identifiers", async () => {
    const f = await tenantWithOpenInvoice(t.db, { slug: `meters-${n}`, stripeEnabled: true });
    await t.db.update(tenants).set({ stripeCustomerId: `cus_meters_${n}` }).where(eq(tenants.id, f.tenantId));
    const roll = (day: string, eventType: string, billable: string) => ({
      tenantId: f.tenantId,
      day,
      metricCode: "credits",
      eventType,
      segment: "",
      subscriptionId: f.subscriptionId,
      quantity: billable,
      billableQuantity: billable,
      credits: billable,
      eventCount: 1,
    });
    await t.db.insert(usageDailyRollups).values([
      roll("2026-03-01", "LLM_token_usage", "1500.5"),
      roll("2026-03-01", "optimizer_job", "1000"),
      roll("2026-03-02", "LLM_token_usage", "20"),
      roll("2026-03-03", "LLM_token_usage", "7"), // still open at `now`
      roll("2026-01-15", "LLM_token_usage", "9"), // older than Stripe accepts
    ]);
    const now = new Date("2026-03-03T02:00:00Z"); // March 2 closed two hours ago
    const before = standIn.meterEvents.length;
    const out = await runStripeSync(t.db, { now, stripe: standInClient(standIn), appUrl: APP_URL, meterSync: true });
    expect(out.counts).toMatchObject({ meter_events_sent: 2, meter_days_skipped: 1, meter_failed: 0 });
    const sent = standIn.meterEvents.slice(before);
    expect(sent.map((e) => [e.event_name, e.identifier, (e.payload as Record<string, string>).value, (e.payload as Record<string, string>).stripe_customer_id])).toEqual([
      ["meterline_credits", `ml-${f.tenantId}-2026-03-01-credits`, "2500.5", `cus_meters_${n}`],
      ["meterline_credits", `ml-${f.tenantId}-2026-03-02-credits`, "20", `cus_meters_${n}`],
    ]);
    expect(sent[0].timestamp).toBe(Date.parse("2026-03-01T12:00:00Z") / 1000);
    const again = await runStripeSync(t.db, { now, stripe: standInClient(standIn), appUrl: APP_URL, meterSync: true });
    expect(again.counts).toMatchObject({ meter_events_sent: 0 });
    const later = await runStripeSync(t.db, { now: new Date("2026-03-04T03:00:00Z"), stripe: standInClient(standIn), appUrl: APP_URL, meterSync: true });
    expect(later.counts).toMatchObject({ meter_events_sent: 1 });
    const synced = await t.db.select().from(stripeMeterSyncs).where(eq(stripeMeterSyncs.tenantId, f.tenantId));
    expect(synced.map((r) => r.day).sort()).toEqual(["2026-01-15", "2026-03-01", "2026-03-02", "2026-03-03"]);
  });
});
