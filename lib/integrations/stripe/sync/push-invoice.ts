/**
 * Pushes one finalized Meterline invoice to Stripe and collects it, resumably. Every step is keyed by our
 * invoice id (Idempotency-Key, and metadata that lets a resumed run see what already exists), so a run that
 * died half-way is finished by the next one with no duplicate invoice, line or charge:
 *   customer → draft invoice (its id stored at once) → missing lines (by position) → totals checked →
 *   finalize → pay. The lines are ours, amount for amount, in Stripe's integer minor units.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "@/db/client";
import { invoiceLines, invoices } from "@/db/schema";
import { recordPaymentFailure } from "@/lib/services/dunning/record-payment-failure";
import type { InvoiceRow } from "@/lib/services/dunning/dunning-context";
import { applyStripeInvoicePaid } from "../apply-invoice-paid";
import { ensureStripeCustomer } from "../customer";
import { toMinorUnits, toStripeAmount } from "../minor-units";

export type Collection = "paid" | "declined" | "open" | "closed_in_stripe";

export class StripeTotalsMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StripeTotalsMismatch";
  }
}

export const invoiceKey = (invoiceId: string, step: string) => `meterline-invoice-${invoiceId}-${step}`;

export async function pushInvoiceToStripe(
  db: Db,
  stripe: Stripe,
  params: { invoice: InvoiceRow; appUrl: string; now: Date },
): Promise<{ stripeInvoiceId: string; hostedUrl: string | null; collection: Collection }> {
  const inv = params.invoice;
  const currency = inv.currency.toLowerCase();
  const customer = await ensureStripeCustomer(db, stripe, inv.tenantId);
  const metadata = { meterline_invoice_id: inv.id, meterline_tenant_id: inv.tenantId, meterline_invoice_number: inv.number };

  let stripeInvoiceId = inv.stripeInvoiceId;
  if (!stripeInvoiceId) {
    const created = await stripe.invoices.create(
      {
        customer,
        currency,
        collection_method: "charge_automatically",
        auto_advance: false,
        pending_invoice_items_behavior: "exclude",
        description: `Meterline invoice ${inv.number}`,
        metadata,
      },
      { idempotencyKey: invoiceKey(inv.id, "create") },
    );
    stripeInvoiceId = created.id;
    // Stored before anything else happens to it: a resumed run continues with this invoice.
    await db
      .update(invoices)
      .set({ stripeInvoiceId })
      .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.id, inv.id), isNull(invoices.stripeInvoiceId)));
  }

  let remote = await stripe.invoices.retrieve(stripeInvoiceId);
  if (remote.status === "draft") {
    const lines = await db
      .select()
      .from(invoiceLines)
      .where(and(eq(invoiceLines.tenantId, inv.tenantId), eq(invoiceLines.invoiceId, inv.id)))
      .orderBy(asc(invoiceLines.position));
    const present = new Set<string>();
    for await (const line of stripe.invoices.listLineItems(stripeInvoiceId, { limit: 100 })) {
      const pos = line.metadata?.meterline_line_position;
      if (pos) present.add(pos);
    }
    for (const line of lines) {
      if (present.has(String(line.position))) continue;
      await stripe.invoiceItems.create(
        {
          customer,
          invoice: stripeInvoiceId,
          currency,
          amount: toStripeAmount(line.amount, inv.currency),
          description: lineDescription(line),
          metadata: { ...metadata, meterline_line_position: String(line.position), meterline_line_code: line.code, meterline_line_kind: line.kind },
        },
        { idempotencyKey: invoiceKey(inv.id, `line-${line.position}`) },
      );
    }
    remote = await stripe.invoices.retrieve(stripeInvoiceId);
    const expected = toMinorUnits(inv.total, inv.currency);
    if (String(remote.total) !== expected) {
      throw new StripeTotalsMismatch(`Stripe invoice ${stripeInvoiceId} totals ${remote.total} minor units, ${inv.number} totals ${expected}`);
    }
    remote = await stripe.invoices.finalizeInvoice(stripeInvoiceId, { auto_advance: true }, { idempotencyKey: invoiceKey(inv.id, "finalize") });
  }

  let collection: Collection = "open";
  if (remote.status === "open") {
    try {
      remote = await stripe.invoices.pay(stripeInvoiceId, {}, { idempotencyKey: invoiceKey(inv.id, "pay-1") });
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeCardError)) throw err;
      collection = "declined";
      const attemptNo = Math.max(1, (await stripe.invoices.retrieve(stripeInvoiceId)).attempt_count ?? 1);
      await db.transaction((tx) =>
        recordPaymentFailure(tx, {
          tenantId: inv.tenantId,
          invoiceId: inv.id,
          attemptNo,
          reason: err.message,
          now: params.now,
          actor: { kind: "stripe", userId: null },
          appUrl: params.appUrl,
          stripeReference: stripeInvoiceId,
        }),
      );
    }
  }
  if (remote.status === "paid") {
    collection = "paid";
    const paidAt = remote.status_transitions?.paid_at ? new Date(remote.status_transitions.paid_at * 1000) : params.now;
    await db.transaction((tx) =>
      applyStripeInvoicePaid(tx, { tenantId: inv.tenantId, invoiceId: inv.id, stripeInvoiceId: stripeInvoiceId!, paidAt, appUrl: params.appUrl }),
    );
  } else if (remote.status === "void" || remote.status === "uncollectible") {
    collection = "closed_in_stripe";
  }
  return { stripeInvoiceId, hostedUrl: remote.hosted_invoice_url ?? null, collection };
}

function lineDescription(line: typeof invoiceLines.$inferSelect): string {
  const qty = line.quantity === "1" || /^1(\.0+)?$/.test(line.quantity) ? "" : ` (${trimZeros(line.quantity)} × ${trimZeros(line.unitAmount)})`;
  return `${line.description}${qty}`.slice(0, 500);
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}
