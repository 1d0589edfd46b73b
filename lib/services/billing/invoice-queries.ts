/** Invoice reads for pages and routes. Tenant-scoped unless named ForOperator. */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { invoiceLines, invoices, payments, tenants } from "@/db/schema";
import { Decimal, toDecimal } from "@/lib/domain/money";
import type { InvoiceLineRow, InvoiceRow } from "./insert-invoice";

export type InvoiceStatus = InvoiceRow["status"];

export interface InvoiceDetail {
  invoice: InvoiceRow;
  lines: InvoiceLineRow[];
  payments: (typeof payments.$inferSelect)[];
  /** Credit notes issued against this invoice (or, for a credit note, the invoice it corrects). */
  related: InvoiceRow[];
  tenant: { id: string; name: string; slug: string; locale: string; billingEmail: string | null };
}

/** A tenant's invoices, newest first. */
export async function listInvoices(
  db: DbOrTx,
  tenantId: string,
  params: { limit?: number; status?: InvoiceStatus[] } = {},
): Promise<InvoiceRow[]> {
  const where = params.status?.length
    ? and(eq(invoices.tenantId, tenantId), inArray(invoices.status, params.status))
    : eq(invoices.tenantId, tenantId);
  return db
    .select()
    .from(invoices)
    .where(where)
    .orderBy(desc(invoices.issuedAt), desc(invoices.number))
    .limit(Math.min(params.limit ?? 100, 500));
}

/** Every tenant's invoices for operator pages, newest first, with the tenant's name. */
export async function listInvoicesForOperator(
  db: DbOrTx,
  params: { limit?: number; status?: InvoiceStatus[]; tenantId?: string } = {},
) {
  const conds = [];
  if (params.status?.length) conds.push(inArray(invoices.status, params.status));
  if (params.tenantId) conds.push(eq(invoices.tenantId, params.tenantId));
  return db
    .select({ invoice: invoices, tenantName: tenants.name, tenantSlug: tenants.slug })
    .from(invoices)
    .innerJoin(tenants, eq(tenants.id, invoices.tenantId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(invoices.issuedAt), desc(invoices.number))
    .limit(Math.min(params.limit ?? 100, 500));
}

async function detailOf(db: DbOrTx, invoice: InvoiceRow | undefined): Promise<InvoiceDetail | null> {
  if (!invoice) return null;
  const [lines, pays, related, [tenant]] = await Promise.all([
    db
      .select()
      .from(invoiceLines)
      .where(and(eq(invoiceLines.tenantId, invoice.tenantId), eq(invoiceLines.invoiceId, invoice.id)))
      .orderBy(asc(invoiceLines.position)),
    db
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, invoice.tenantId), eq(payments.invoiceId, invoice.id)))
      .orderBy(asc(payments.receivedAt)),
    db
      .select()
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, invoice.tenantId),
          invoice.creditNoteForId
            ? eq(invoices.id, invoice.creditNoteForId)
            : eq(invoices.creditNoteForId, invoice.id),
        ),
      )
      .orderBy(asc(invoices.issuedAt)),
    db
      .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, locale: tenants.locale, billingEmail: tenants.billingEmail })
      .from(tenants)
      .where(eq(tenants.id, invoice.tenantId)),
  ]);
  return { invoice, lines, payments: pays, related, tenant };
}

/** One invoice of the tenant with lines, payments and credit notes; null when it is not theirs. */
export async function getInvoice(db: DbOrTx, tenantId: string, invoiceId: string): Promise<InvoiceDetail | null> {
  if (!isUuid(invoiceId)) return null;
  const [invoice] = await db.select().from(invoices).where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)));
  return detailOf(db, invoice);
}

/** Any tenant's invoice, for operator admins (callers must have checked the operator role). */
export async function getInvoiceForOperator(db: DbOrTx, invoiceId: string): Promise<InvoiceDetail | null> {
  if (!isUuid(invoiceId)) return null;
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  return detailOf(db, invoice);
}

/** Amount still to collect: total − paid − credit notes issued against it (never below zero). */
export async function balanceDue(db: DbOrTx, invoice: InvoiceRow): Promise<string> {
  const [row] = await db
    .select({ credited: sql<string>`coalesce(sum(-${invoices.total}), 0)::text` })
    .from(invoices)
    .where(and(eq(invoices.tenantId, invoice.tenantId), eq(invoices.creditNoteForId, invoice.id), sql`${invoices.status} <> 'void'`));
  return Decimal.max(0, toDecimal(invoice.total).minus(toDecimal(invoice.amountPaid)).minus(toDecimal(row?.credited ?? "0"))).toFixed();
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
