import { env } from "@/lib/env";
import { renderInvoicePdf } from "@/lib/pdf/invoice-pdf";
import type { InvoiceDetail } from "./invoice-queries";

/** The PDF of an invoice read with getInvoice / getInvoiceForOperator; the file name to offer with it. */
export async function invoicePdfOf(detail: InvoiceDetail): Promise<{ bytes: Uint8Array; filename: string }> {
  const e = env();
  const inv = detail.invoice;
  const bytes = await renderInvoicePdf({
    operator: { name: e.OPERATOR_NAME, address: e.OPERATOR_ADDRESS },
    customer: { name: detail.tenant.name, email: detail.tenant.billingEmail },
    invoice: {
      number: inv.number,
      kind: inv.kind,
      status: inv.status,
      currency: inv.currency,
      issuedAt: inv.issuedAt,
      dueAt: inv.dueAt,
      periodStart: inv.periodStart,
      periodEnd: inv.periodEnd,
      planCode: inv.planCode,
      subtotal: inv.subtotal,
      discount: inv.discount,
      tax: inv.tax,
      total: inv.total,
      amountPaid: inv.amountPaid,
      creditNoteFor: inv.creditNoteForId ? (detail.related[0]?.number ?? null) : null,
      hostedUrl: inv.stripeHostedUrl,
    },
    lines: detail.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitAmount: l.unitAmount, amount: l.amount })),
  });
  return { bytes, filename: `${inv.number}.pdf` };
}
