import { getDb } from "@/db";
import { getSessionUser } from "@/lib/auth/session";
import { errorResponse, notFound, unauthorized } from "@/lib/http/errors";
import { getInvoice, getInvoiceForOperator } from "@/lib/services/billing/invoice-queries";
import { invoicePdfOf } from "@/lib/services/billing/invoice-pdf";

export const dynamic = "force-dynamic";

/**
 * GET /api/invoices/:id/pdf — the invoice as a PDF. A tenant member gets only their tenants' invoices
 * (another tenant's id is a 404, never a hint that it exists); an operator admin gets any.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const user = await getSessionUser();
    if (!user) throw unauthorized("Sign in to download invoices");
    const db = await getDb();
    let detail = user.isOperatorAdmin ? await getInvoiceForOperator(db, id) : null;
    if (!detail) {
      for (const m of user.memberships) {
        detail = await getInvoice(db, m.tenantId, id);
        if (detail) break;
      }
    }
    if (!detail) throw notFound("Invoice not found");
    const { bytes, filename } = await invoicePdfOf(detail);
    return new Response(Buffer.from(bytes), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `inline; filename="${filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
