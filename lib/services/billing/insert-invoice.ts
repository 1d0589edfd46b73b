import { randomUUID } from "node:crypto";
import type { Tx } from "@/db/client";
import { invoiceLines, invoices } from "@/db/schema";
import type { InvoicePreview } from "@/lib/domain/invoicing/build-invoice-preview";
import { toDecimal } from "@/lib/domain/money";
import { allocateInvoiceNumber } from "./invoice-numbers";

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;

/** Thrown inside an invoice transaction to roll it back quietly (another run got there first). */
export class AlreadyInvoiced extends Error {
  constructor() {
    super("already invoiced");
    this.name = "AlreadyInvoiced";
  }
}

export interface BillingConfig {
  /** INVOICE_PREFIX */
  prefix: string;
  /** INVOICE_DUE_DAYS */
  dueDays: number;
  /** Stripe configured: finalized invoices wait for the stripe-sync job. */
  stripeEnabled: boolean;
  /**
   * USAGE_LATE_GRACE_MINUTES: a period is closed only once its late-event grace has passed, so every event
   * ingestion may still accept for it is on its invoice (default 0).
   */
  lateGraceMinutes?: number;
}

/**
 * Allocates the number and writes an issued invoice with its lines, inside the caller's transaction.
 * The allocation comes last so the number sequence row is locked for as short a time as possible.
 * A zero-total invoice is settled at once (nothing to collect). Throws AlreadyInvoiced when the unique
 * (tenant, subscription, period, kind, sequence) index says this invoice exists.
 */
export async function insertIssuedInvoice(
  tx: Tx,
  params: {
    id?: string;
    tenantId: string;
    subscriptionId: string;
    periodId: string | null;
    kind: "period" | "threshold" | "credit_note";
    sequenceInPeriod?: number;
    preview: Pick<InvoicePreview, "currency" | "subtotal" | "discount" | "tax" | "total" | "lines">;
    periodStart: Date;
    periodEnd: Date;
    planCode?: string | null;
    planVersion?: number | null;
    creditNoteForId?: string | null;
    issuedAt: Date;
    config: BillingConfig;
    /** Credit notes are settled when issued; invoices are open unless their total is zero. */
    settled?: boolean;
    /** Extra metadata per line, by position. */
    lineMetadata?: (index: number) => Record<string, unknown>;
  },
): Promise<InvoiceRow> {
  const { preview, issuedAt, config } = params;
  const { number } = await allocateInvoiceNumber(tx, { prefix: config.prefix, issuedAt });
  const settled = params.settled ?? toDecimal(preview.total).isZero();
  const rows = await tx
    .insert(invoices)
    .values({
      id: params.id ?? randomUUID(),
      tenantId: params.tenantId,
      subscriptionId: params.subscriptionId,
      periodId: params.periodId,
      kind: params.kind,
      sequenceInPeriod: params.sequenceInPeriod ?? 0,
      number,
      status: settled ? "paid" : "open",
      currency: preview.currency,
      periodStart: params.periodStart,
      periodEnd: params.periodEnd,
      issuedAt,
      dueAt: new Date(issuedAt.getTime() + config.dueDays * 86_400_000),
      subtotal: preview.subtotal,
      discount: preview.discount,
      tax: preview.tax,
      total: preview.total,
      paidAt: settled ? issuedAt : null,
      creditNoteForId: params.creditNoteForId ?? null,
      planCode: params.planCode ?? null,
      planVersion: params.planVersion ?? null,
      stripeSyncStatus: config.stripeEnabled && !settled ? "pending" : "not_applicable",
      stripeNextSyncAt: config.stripeEnabled && !settled ? issuedAt : null,
    })
    .onConflictDoNothing()
    .returning();
  const invoice = rows[0];
  if (!invoice) throw new AlreadyInvoiced();
  if (preview.lines.length > 0) {
    await tx.insert(invoiceLines).values(
      preview.lines.map((l, i) => ({
        tenantId: params.tenantId,
        invoiceId: invoice.id,
        position: i + 1,
        kind: l.kind,
        code: l.code,
        description: l.description,
        quantity: l.quantity,
        unitAmount: l.unit_amount,
        amount: l.amount,
        metadata: { ...(l.previously_billed ? { previously_billed: l.previously_billed } : {}), ...(params.lineMetadata?.(i) ?? {}) },
      })),
    );
  }
  return invoice;
}
