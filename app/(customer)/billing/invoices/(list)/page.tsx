import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { InvoiceStatusBadge } from "@/components/billing/invoice-status-badge";
import { PageHeader } from "@/components/billing/page-header";
import { requireTenantRole } from "@/lib/auth/guards";
import { formatDate, formatMoney } from "@/lib/format";
import { invoicesFor, upcomingInvoiceFor } from "@/lib/services/invoice-views/cached";

export const metadata: Metadata = { title: "Invoices" };

const KIND_LABEL = { period: "Period", threshold: "Interim", credit_note: "Credit note" } as const;

export default async function InvoicesPage() {
  const { tenant } = await requireTenantRole("member");
  const [invoices, upcoming] = await Promise.all([invoicesFor(tenant.tenantId), upcomingInvoiceFor(tenant.tenantId)]);
  const locale = tenant.locale;
  return (
    <div className="space-y-6">
      <PageHeader title="Invoices" subtitle={tenant.name} />
      {upcoming ? (
        <Card title="Upcoming invoice">
          <div className="flex flex-wrap items-baseline justify-between gap-3">
            <p className="text-sm text-slate-700">
              {upcoming.planName} · {formatDate(upcoming.periodStart, locale)} – {formatDate(upcoming.periodEnd, locale)} · issued {formatDate(upcoming.issuesAt, locale)}
            </p>
            <p className="text-xl font-semibold tabular">{formatMoney(upcoming.preview.total, upcoming.preview.currency, locale)}</p>
          </div>
          <p className="mt-1 text-xs text-slate-600">Estimated from usage so far; the final amount is set when the period closes.</p>
        </Card>
      ) : null}
      <Card title="Issued invoices">
        {invoices.length === 0 ? (
          <EmptyState title="No invoices yet">
            Invoices are issued when a billing period closes. Past periods that have not been invoiced yet appear here after the next invoice run.
          </EmptyState>
        ) : (
          <Table caption="Issued invoices">
            <THead>
              <Th>Number</Th>
              <Th numeric>Total</Th>
              <Th>Status</Th>
              <Th>Period</Th>
              <Th>Issued</Th>
              <Th>Due</Th>
              <Th>
                <span className="sr-only">Download</span>
              </Th>
            </THead>
            <TBody>
              {invoices.map((inv) => (
                <tr key={inv.id}>
                  <Td>
                    <Link href={`/billing/invoices/${inv.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                      {inv.number}
                    </Link>
                    {inv.kind !== "period" ? <span className="ml-2 text-xs text-slate-600">{KIND_LABEL[inv.kind]}</span> : null}
                  </Td>
                  <Td numeric>{formatMoney(inv.total, inv.currency, locale)}</Td>
                  <Td>
                    <InvoiceStatusBadge status={inv.status} />
                  </Td>
                  <Td>
                    {formatDate(inv.periodStart, locale)} – {formatDate(inv.periodEnd, locale)}
                  </Td>
                  <Td>{inv.issuedAt ? formatDate(inv.issuedAt, locale) : "—"}</Td>
                  <Td>{inv.dueAt ? formatDate(inv.dueAt, locale) : "—"}</Td>
                  <Td>
                    <a href={`/api/invoices/${inv.id}/pdf`} download className="text-brand-700 underline-offset-2 hover:underline" aria-label={`Download ${inv.number} as PDF`}>
                      PDF
                    </a>
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
