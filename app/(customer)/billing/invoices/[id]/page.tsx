import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { buttonClasses } from "@/components/ui/button";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { InvoiceStatusBadge } from "@/components/billing/invoice-status-badge";
import { PageHeader } from "@/components/billing/page-header";
import { requireTenantRole } from "@/lib/auth/guards";
import { toDecimal } from "@/lib/domain/money";
import { formatDate, formatMoney, formatNumber, formatUnitPrice } from "@/lib/format";
import { invoiceFor } from "@/lib/services/invoice-views/cached";
import { Breadcrumb } from "@/components/ui/breadcrumb";

export const metadata: Metadata = { title: "Invoice" };

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { tenant } = await requireTenantRole("member");
  const { id } = await params;
  // Tenant-scoped read: another tenant's invoice is simply not found.
  const detail = await invoiceFor(tenant.tenantId, id);
  if (!detail) notFound();
  const { invoice, lines, payments, related, balance } = detail;
  const locale = tenant.locale;
  const cur = invoice.currency;
  const money = (v: string) => formatMoney(v, cur, locale);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/billing/invoices", label: "Invoices" }} current={invoice.number} />
      <PageHeader
        title={`${invoice.kind === "credit_note" ? "Credit note" : "Invoice"} ${invoice.number}`}
        subtitle={`${formatDate(invoice.periodStart, locale)} – ${formatDate(invoice.periodEnd, locale)}${invoice.planCode ? ` · plan ${invoice.planCode}` : ""}`}
        actions={
          <>
            <a href={`/api/invoices/${invoice.id}/pdf`} download className={buttonClasses("primary", "sm")}>
              Download PDF
            </a>
            {invoice.stripeHostedUrl ? (
              <a href={invoice.stripeHostedUrl} target="_blank" rel="noreferrer" className={buttonClasses("secondary", "sm")}>
                Pay or view online<span className="sr-only"> (opens in a new tab)</span>
              </a>
            ) : null}
          </>
        }
      />
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <Card title="Status">
          <InvoiceStatusBadge status={invoice.status} />
          {invoice.paidAt ? <p className="mt-2 text-sm text-slate-600">Paid {formatDate(invoice.paidAt, locale)}</p> : null}
          {invoice.voidedAt ? <p className="mt-2 text-sm text-slate-600">Voided {formatDate(invoice.voidedAt, locale)}</p> : null}
        </Card>
        <Card title="Total">
          <p className="text-xl font-semibold tabular">{money(invoice.total)}</p>
        </Card>
        <Card title="Balance due">
          <p className="text-xl font-semibold tabular">{money(balance)}</p>
        </Card>
        <Card title="Dates">
          <p className="text-sm text-slate-700">Issued {invoice.issuedAt ? formatDate(invoice.issuedAt, locale) : "—"}</p>
          <p className="text-sm text-slate-700">Due {invoice.dueAt ? formatDate(invoice.dueAt, locale) : "—"}</p>
        </Card>
      </div>
      <Card title="Lines">
        {/* Phones: a stacked list; wider screens: the table. */}
        <ul className="divide-y divide-slate-100 text-sm sm:hidden">
          {lines.map((l) => (
            <li key={l.id} className="flex items-start justify-between gap-3 py-2">
              <span className="min-w-0 text-slate-800">{l.description}</span>
              <span className="shrink-0 tabular font-medium">{money(l.amount)}</span>
            </li>
          ))}
          <li className="flex justify-between gap-3 py-2 text-slate-600">
            <span>Subtotal</span>
            <span className="tabular">{money(invoice.subtotal)}</span>
          </li>
          {!toDecimal(invoice.discount).isZero() ? (
            <li className="flex justify-between gap-3 py-2 text-slate-600">
              <span>Discount</span>
              <span className="tabular">−{money(invoice.discount)}</span>
            </li>
          ) : null}
          <li className="flex justify-between gap-3 py-2 text-slate-600">
            <span>Tax</span>
            <span className="tabular">{money(invoice.tax)}</span>
          </li>
          <li className="flex justify-between gap-3 py-2 font-semibold">
            <span>Total</span>
            <span className="tabular">{money(invoice.total)}</span>
          </li>
        </ul>
        <div className="hidden sm:block">
        <Table caption={`Lines of ${invoice.number}`}>
          <THead>
            <Th>Description</Th>
            <Th numeric>Quantity</Th>
            <Th numeric>Unit price</Th>
            <Th numeric>Amount</Th>
          </THead>
          <TBody>
            {lines.map((l) => (
              <tr key={l.id}>
                <Td className="max-w-md whitespace-normal">{l.description}</Td>
                <Td numeric>{l.kind === "tax" ? "" : formatNumber(l.quantity, locale, 4)}</Td>
                <Td numeric>{l.kind === "tax" ? `${toDecimal(l.unitAmount).times(100).toFixed()}%` : formatUnitPrice(l.unitAmount, cur, locale)}</Td>
                <Td numeric>{money(l.amount)}</Td>
              </tr>
            ))}
          </TBody>
          <tfoot className="border-t border-slate-200 text-sm">
            <tr>
              <th scope="row" colSpan={3} className="px-3 py-1.5 text-right font-normal text-slate-600">
                Subtotal
              </th>
              <Td numeric>{money(invoice.subtotal)}</Td>
            </tr>
            {!toDecimal(invoice.discount).isZero() ? (
              <tr>
                <th scope="row" colSpan={3} className="px-3 py-1.5 text-right font-normal text-slate-600">
                  Discount
                </th>
                <Td numeric>−{money(invoice.discount)}</Td>
              </tr>
            ) : null}
            <tr>
              <th scope="row" colSpan={3} className="px-3 py-1.5 text-right font-normal text-slate-600">
                Tax
              </th>
              <Td numeric>{money(invoice.tax)}</Td>
            </tr>
            <tr>
              <th scope="row" colSpan={3} className="px-3 py-1.5 text-right font-semibold">
                Total
              </th>
              <Td numeric className="font-semibold">
                {money(invoice.total)}
              </Td>
            </tr>
          </tfoot>
        </Table>
        </div>
      </Card>
      {payments.length || related.length ? (
        <div className="grid gap-6 lg:grid-cols-2">
          {payments.length ? (
            <Card title="Payments">
              <ul className="divide-y divide-slate-100 text-sm">
                {payments.map((p) => (
                  <li key={p.id} className="flex justify-between py-2">
                    <span>
                      {formatDate(p.receivedAt, locale)} · {p.method}
                    </span>
                    <span className="tabular">{formatMoney(p.amount, p.currency, locale)}</span>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          {related.length ? (
            <Card title={invoice.creditNoteForId ? "Corrects" : "Credit notes"}>
              <ul className="divide-y divide-slate-100 text-sm">
                {related.map((r) => (
                  <li key={r.id} className="flex justify-between py-2">
                    <Link href={`/billing/invoices/${r.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                      {r.number}
                    </Link>
                    <span className="tabular">{formatMoney(r.total, r.currency, locale)}</span>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
