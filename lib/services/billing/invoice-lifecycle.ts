/**
 * Invoice lifecycle, draft → open → paid | void | uncollectible. An issued invoice's lines and amounts never
 * change: payments add to amount_paid, and corrections are credit notes (their own numbered documents).
 * Every action locks the invoice row, checks the transition, writes the change and an audit-log entry in one
 * transaction.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { auditLog, invoiceLines, invoices, payments } from "@/db/schema";
import { DomainError } from "@/lib/domain/errors";
import { currencyMinorUnits, decimalPlacesOf, Decimal, formatAmount, sumDecimals, toDecimal } from "@/lib/domain/money";
import type { InvoiceLine, LineKind } from "@/lib/domain/rating/line";
import { billingConfigFromEnv } from "./billing-config";
import { insertIssuedInvoice, type BillingConfig, type InvoiceRow } from "./insert-invoice";
import { isUuid } from "./invoice-queries";

export class InvoiceStateError extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

export interface Actor {
  userId: string | null;
  kind: "user" | "operator_admin" | "system" | "stripe";
}

async function lockInvoice(tx: Tx, invoiceId: string, tenantId?: string): Promise<InvoiceRow> {
  if (!isUuid(invoiceId)) throw new InvoiceStateError("invoice_not_found", `invoice ${invoiceId} not found`);
  const where = tenantId ? and(eq(invoices.id, invoiceId), eq(invoices.tenantId, tenantId)) : eq(invoices.id, invoiceId);
  const [row] = await tx.select().from(invoices).where(where).for("update");
  if (!row) throw new InvoiceStateError("invoice_not_found", `invoice ${invoiceId} not found`);
  return row;
}

async function audit(tx: Tx, actor: Actor, invoice: InvoiceRow, action: string, data: Record<string, unknown>) {
  await tx.insert(auditLog).values({
    tenantId: invoice.tenantId,
    actorUserId: actor.userId,
    actorKind: actor.kind,
    action,
    entity: "invoice",
    entityId: invoice.id,
    data: { number: invoice.number, ...data },
  });
}

async function creditedTotal(tx: Tx, invoice: InvoiceRow): Promise<Decimal> {
  const [row] = await tx
    .select({ credited: sql<string>`coalesce(sum(-${invoices.total}), 0)::text` })
    .from(invoices)
    .where(and(eq(invoices.tenantId, invoice.tenantId), eq(invoices.creditNoteForId, invoice.id), sql`${invoices.status} <> 'void'`));
  return toDecimal(row?.credited ?? "0");
}

function parseAmount(amount: string, currency: string, what: string): Decimal {
  let d: Decimal;
  try {
    d = toDecimal(amount);
  } catch {
    throw new InvoiceStateError("invalid_amount", `${what} must be a decimal amount, got ${JSON.stringify(amount)}`);
  }
  if (!d.greaterThan(0)) throw new InvoiceStateError("invalid_amount", `${what} must be greater than zero`);
  if (decimalPlacesOf(d.toFixed()) > currencyMinorUnits(currency)) {
    throw new InvoiceStateError("invalid_amount", `${what} has more decimals than ${currency} allows`);
  }
  return d;
}

/** A draft becomes open (issued now). Issued invoices are already open, so this is for drafts only. */
export async function finalizeInvoice(db: Db, params: { invoiceId: string; actor: Actor; now?: Date; config?: BillingConfig }) {
  const config = params.config ?? billingConfigFromEnv();
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, params.invoiceId);
    if (inv.status !== "draft") throw new InvoiceStateError("invalid_transition", `invoice ${inv.number} is ${inv.status}, not draft`);
    const now = params.now ?? new Date();
    const [row] = await tx
      .update(invoices)
      .set({ status: "open", issuedAt: now, dueAt: new Date(now.getTime() + config.dueDays * 86_400_000) })
      .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.id, inv.id)))
      .returning();
    await audit(tx, params.actor, inv, "invoice.finalize", {});
    return row;
  });
}

/**
 * Records a payment received outside Stripe (bank transfer, cheque). Open or uncollectible invoices only;
 * the amount may not exceed the balance due. The invoice becomes paid when nothing is left to collect.
 */
export async function recordOfflinePayment(
  db: Db,
  params: { invoiceId: string; amount: string; reference: string; actor: Actor; receivedAt?: Date },
) {
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, params.invoiceId);
    if (inv.status !== "open" && inv.status !== "uncollectible") {
      throw new InvoiceStateError("invalid_transition", `invoice ${inv.number} is ${inv.status}: payments go on open invoices`);
    }
    const amount = parseAmount(params.amount, inv.currency, "payment amount");
    const reference = params.reference.trim();
    if (!reference) throw new InvoiceStateError("invalid_reference", "a payment reference is required");
    const due = toDecimal(inv.total).minus(toDecimal(inv.amountPaid)).minus(await creditedTotal(tx, inv));
    if (amount.greaterThan(due)) {
      throw new InvoiceStateError("overpayment", `payment ${formatAmount(amount, inv.currency)} exceeds the balance due ${formatAmount(Decimal.max(0, due), inv.currency)}`);
    }
    const receivedAt = params.receivedAt ?? new Date();
    const [payment] = await tx
      .insert(payments)
      .values({
        tenantId: inv.tenantId,
        invoiceId: inv.id,
        amount: amount.toFixed(),
        currency: inv.currency,
        method: "offline",
        reference: reference.slice(0, 200),
        recordedBy: params.actor.userId,
        receivedAt,
      })
      .returning();
    const paid = toDecimal(inv.amountPaid).plus(amount);
    const settled = amount.equals(due);
    const [row] = await tx
      .update(invoices)
      .set({ amountPaid: paid.toFixed(), ...(settled ? { status: "paid" as const, paidAt: receivedAt } : {}) })
      .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.id, inv.id)))
      .returning();
    await audit(tx, params.actor, inv, "invoice.payment_recorded", { amount: amount.toFixed(), reference, settled });
    return { invoice: row, payment };
  });
}

/** Voids an open or uncollectible invoice that has no payments (a paid one is corrected by a credit note). */
export async function voidInvoice(db: Db, params: { invoiceId: string; reason: string; actor: Actor; now?: Date }) {
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, params.invoiceId);
    if (inv.kind === "credit_note") throw new InvoiceStateError("invalid_transition", "credit notes cannot be voided");
    if (inv.status !== "open" && inv.status !== "uncollectible" && inv.status !== "draft") {
      throw new InvoiceStateError("invalid_transition", `invoice ${inv.number} is ${inv.status} and cannot be voided`);
    }
    if (!toDecimal(inv.amountPaid).isZero()) {
      throw new InvoiceStateError("invalid_transition", `invoice ${inv.number} has payments: issue a credit note instead`);
    }
    const [row] = await tx
      .update(invoices)
      .set({ status: "void", voidedAt: params.now ?? new Date() })
      .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.id, inv.id)))
      .returning();
    await audit(tx, params.actor, inv, "invoice.void", { reason: params.reason });
    return row;
  });
}

/** Open → uncollectible (collection abandoned; a later payment can still be recorded). */
export async function markUncollectible(db: Db, params: { invoiceId: string; reason: string; actor: Actor }) {
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, params.invoiceId);
    if (inv.status !== "open") throw new InvoiceStateError("invalid_transition", `invoice ${inv.number} is ${inv.status}, not open`);
    const [row] = await tx
      .update(invoices)
      .set({ status: "uncollectible" })
      .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.id, inv.id)))
      .returning();
    await audit(tx, params.actor, inv, "invoice.uncollectible", { reason: params.reason });
    return row;
  });
}

/**
 * Issues a credit note against an open or paid invoice: the full invoice (every line negated) when no amount
 * is given, otherwise one credit line of that amount. Credits never exceed what is left uncredited. The
 * credit note gets its own number from the same gapless sequence. An open invoice whose balance reaches zero
 * becomes paid (nothing left to collect).
 */
export async function issueCreditNote(
  db: Db,
  params: { invoiceId: string; reason: string; amount?: string; actor: Actor; now?: Date; config?: BillingConfig },
) {
  const config = params.config ?? billingConfigFromEnv();
  const now = params.now ?? new Date();
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, params.invoiceId);
    if (inv.kind === "credit_note") throw new InvoiceStateError("invalid_transition", "a credit note cannot be credited");
    if (inv.status !== "open" && inv.status !== "paid") {
      throw new InvoiceStateError("invalid_transition", `invoice ${inv.number} is ${inv.status}: only open or paid invoices take credit notes`);
    }
    const reason = params.reason.trim();
    if (!reason) throw new InvoiceStateError("invalid_reason", "a reason is required");
    const credited = await creditedTotal(tx, inv);
    const creditable = toDecimal(inv.total).minus(credited);
    let lines: InvoiceLine[];
    if (params.amount === undefined) {
      if (!credited.isZero()) throw new InvoiceStateError("already_credited", `invoice ${inv.number} is partly credited: give an amount`);
      const original = await tx
        .select()
        .from(invoiceLines)
        .where(and(eq(invoiceLines.tenantId, inv.tenantId), eq(invoiceLines.invoiceId, inv.id)))
        .orderBy(invoiceLines.position);
      lines = original.map((l) => ({
        kind: l.kind as LineKind,
        code: l.code,
        description: `Credit: ${l.description}`,
        quantity: l.quantity,
        unit_amount: l.unitAmount,
        amount: formatAmount(toDecimal(l.amount).negated(), inv.currency),
      }));
    } else {
      const amount = parseAmount(params.amount, inv.currency, "credit amount");
      if (amount.greaterThan(creditable)) {
        throw new InvoiceStateError("over_credit", `credit ${formatAmount(amount, inv.currency)} exceeds the uncredited ${formatAmount(creditable, inv.currency)}`);
      }
      lines = [
        {
          kind: "adjustment",
          code: "credit",
          description: `Credit on ${inv.number}: ${reason}`,
          quantity: "1",
          unit_amount: formatAmount(amount.negated(), inv.currency),
          amount: formatAmount(amount.negated(), inv.currency),
        },
      ];
    }
    const sum = (kinds: (k: string) => boolean) => sumDecimals(lines.filter((l) => kinds(l.kind)).map((l) => l.amount));
    const subtotal = sum((k) => k !== "promotion" && k !== "tax");
    const discount = sum((k) => k === "promotion").negated();
    const tax = sum((k) => k === "tax");
    const total = subtotal.minus(discount).plus(tax);
    const [seq] = await tx
      .select({ max: sql<number | null>`max(${invoices.sequenceInPeriod})` })
      .from(invoices)
      .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.subscriptionId, inv.subscriptionId), eq(invoices.kind, "credit_note"), inv.periodId ? eq(invoices.periodId, inv.periodId) : sql`${invoices.periodId} is null`));
    const note = await insertIssuedInvoice(tx, {
      tenantId: inv.tenantId,
      subscriptionId: inv.subscriptionId,
      periodId: inv.periodId,
      kind: "credit_note",
      sequenceInPeriod: Number(seq?.max ?? 0) + 1,
      preview: {
        currency: inv.currency,
        lines,
        subtotal: formatAmount(subtotal, inv.currency),
        discount: formatAmount(discount, inv.currency),
        tax: formatAmount(tax, inv.currency),
        total: formatAmount(total, inv.currency),
      },
      periodStart: inv.periodStart,
      periodEnd: inv.periodEnd,
      planCode: inv.planCode,
      planVersion: inv.planVersion,
      creditNoteForId: inv.id,
      issuedAt: now,
      config: { ...config, stripeEnabled: false },
      settled: true,
    });
    let original = inv;
    if (inv.status === "open") {
      const due = toDecimal(inv.total).minus(toDecimal(inv.amountPaid)).minus(credited).plus(total);
      if (!due.greaterThan(0)) {
        [original] = await tx
          .update(invoices)
          .set({ status: "paid", paidAt: now })
          .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.id, inv.id)))
          .returning();
      }
    }
    await audit(tx, params.actor, inv, "invoice.credit_note", { creditNote: note.number, total: note.total, reason });
    return { creditNote: note, invoice: original };
  });
}
