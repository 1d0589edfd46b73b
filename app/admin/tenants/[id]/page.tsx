import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Progress } from "@/components/ui/progress";
import { Stat } from "@/components/ui/stat";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { DunningBadge } from "@/components/billing/dunning-badge";
import { InvoiceStatusBadge } from "@/components/billing/invoice-status-badge";
import { PageHeader } from "@/components/billing/page-header";
import { KpiBaselinesSection } from "@/components/gain-share/kpi-baselines-section";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "@/lib/format";
import { adminTenant, adminTenantInvoices } from "@/lib/services/admin-views/cached";
import { billingOverviewFor, upcomingInvoiceFor } from "@/lib/services/invoice-views/cached";
import { Breadcrumb } from "@/components/ui/breadcrumb";

export const metadata: Metadata = { title: "Tenant" };

export default async function AdminTenantPage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperatorAdmin();
  const { id } = await params;
  const detail = await adminTenant(id);
  if (!detail) notFound();
  const { tenant, members, activeApiKeys, audit } = detail;
  const [overview, upcoming, invoices] = await Promise.all([billingOverviewFor(tenant.id), upcomingInvoiceFor(tenant.id), adminTenantInvoices(tenant.id)]);
  const locale = tenant.locale;
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/admin", label: "Tenants" }} current={tenant.name} />
      <PageHeader title={tenant.name} subtitle={`${tenant.slug} · ${tenant.billingEmail ?? "no billing email"} · locale ${tenant.locale}`} />

      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <Stat label="Plan" value={overview ? overview.plan.displayName : "—"} hint={overview ? `${overview.plan.code} v${overview.plan.version}` : "No active subscription"} />
        <Stat
          label="Upcoming invoice"
          value={upcoming ? formatMoney(upcoming.preview.total, upcoming.preview.currency, locale) : "—"}
          hint={upcoming ? `Issued ${formatDate(upcoming.issuesAt, locale)}` : undefined}
        />
        <Stat label="Dunning" value={<DunningBadge state={overview?.dunningState ?? null} />} />
        <Stat label="Active API keys" value={activeApiKeys} hint={`${members.length} ${members.length === 1 ? "member" : "members"}`} />
      </div>

      {overview ? (
        <Card title={`Usage this period (${formatDate(overview.period.start, locale)} – ${formatDate(overview.period.end, locale)})`}>
          <ul className="grid gap-4 md:grid-cols-2">
            {overview.quotas.map((q) => (
              <li key={q.code}>
                <div className="flex justify-between gap-2 text-sm">
                  <span className="font-medium">{q.name}</span>
                  <span className="tabular text-slate-700">
                    {formatNumber(q.used, locale)}
                    {q.included !== "unlimited" ? ` / ${formatNumber(q.included, locale)}` : ""}
                  </span>
                </div>
                {q.percent !== null ? (
                  <div className="mt-2">
                    <Progress value={q.percent} label={`${q.name}: ${q.percent}% of included`} />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      {upcoming ? (
        <Card title="Upcoming invoice lines">
          <Table caption="Upcoming invoice lines">
            <THead>
              <Th>Line</Th>
              <Th numeric>Amount</Th>
            </THead>
            <TBody>
              {upcoming.preview.lines.map((l) => (
                <tr key={`${l.kind}:${l.code}`}>
                  <Td className="whitespace-normal">{l.description}</Td>
                  <Td numeric>{formatMoney(l.amount, upcoming.preview.currency, locale)}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}

      <Card title="Invoices">
        {invoices.length === 0 ? (
          <EmptyState title="No invoices yet">Issued when the invoice run closes this tenant&rsquo;s periods.</EmptyState>
        ) : (
          <Table caption="Invoices of the tenant">
            <THead>
              <Th>Number</Th>
              <Th>Period</Th>
              <Th>Status</Th>
              <Th numeric>Total</Th>
              <Th numeric>Paid</Th>
              <Th>
                <span className="sr-only">PDF</span>
              </Th>
            </THead>
            <TBody>
              {invoices.map(({ invoice: inv }) => (
                <tr key={inv.id}>
                  <Td className="font-medium">{inv.number}</Td>
                  <Td>
                    {formatDate(inv.periodStart, locale)} – {formatDate(inv.periodEnd, locale)}
                  </Td>
                  <Td>
                    <InvoiceStatusBadge status={inv.status} />
                  </Td>
                  <Td numeric>{formatMoney(inv.total, inv.currency, locale)}</Td>
                  <Td numeric>{formatMoney(inv.amountPaid, inv.currency, locale)}</Td>
                  <Td>
                    <a href={`/api/invoices/${inv.id}/pdf`} className="text-brand-700 underline-offset-2 hover:underline" aria-label={`PDF of ${inv.number}`}>
                      PDF
                    </a>
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      {/*
        SLOT — gain-share KPI baselines. Owned by the gain-share engineer (components/gain-share/*): render their
        baselines component here for `tenant.id` once it exists. Until then, a pointer to the approval queue.
      */}
      <section aria-labelledby="kpi-baselines" data-slot="gain-share-baselines">
        <h2 id="kpi-baselines" className="sr-only">KPI baselines and gain-share</h2>
        <KpiBaselinesSection tenantId={tenant.id} />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Members">
          {members.length === 0 ? (
            <p className="text-sm text-slate-600">No members.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {members.map((m) => (
                <li key={m.email} className="flex flex-wrap justify-between gap-2 py-2">
                  <span>
                    {m.name} <span className="text-slate-600">&lt;{m.email}&gt;</span>
                  </span>
                  <span className="text-slate-700">{m.role}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Recent activity">
          {audit.length === 0 ? (
            <p className="text-sm text-slate-600">No audited actions yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {audit.map((a) => (
                <li key={a.id} className="py-2">
                  <span className="font-medium">{a.action}</span> <span className="text-slate-600">by {a.actorKind}</span>
                  <div className="text-xs text-slate-600">{formatDateTime(a.createdAt, locale)}</div>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
