import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { PageHeader } from "@/components/billing/page-header";
import { CreateRunForm } from "@/components/gain-share/create-run-form";
import { DecideRunDialog } from "@/components/gain-share/decide-run-dialog";
import { RunBreakdown } from "@/components/gain-share/run-breakdown";
import { RunStatusBadge } from "@/components/gain-share/run-status-badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import type { Kpi } from "@/lib/domain/catalog/types";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "@/lib/format";
import { listGainShareTenants } from "@/lib/services/gain-share/gain-share-tenants";
import { listRunsForOperator } from "@/lib/services/gain-share/run-queries";
import { loadTenantContext } from "@/lib/services/gain-share/tenant-context";
import { createRunAction, decideRunAction } from "./actions";

export const metadata: Metadata = { title: "Gain-share approvals" };

function monthLabel(periodStart: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${periodStart}T00:00:00Z`));
}

export default async function AdminGainSharePage() {
  await requireOperatorAdmin();
  const db = await getDb();
  const [pending, decided, tenants] = await Promise.all([
    listRunsForOperator(db, { statuses: ["pending_approval"] }),
    listRunsForOperator(db, { statuses: ["approved", "rejected"], limit: 50 }),
    listGainShareTenants(db),
  ]);
  const kpisByTenant = new Map<string, Kpi[]>();
  for (const tenantId of new Set(pending.map((r) => r.tenantId))) {
    kpisByTenant.set(tenantId, (await loadTenantContext(db, tenantId).catch(() => null))?.catalog.kpis ?? []);
  }
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);

  return (
    <div className="space-y-6">
      <PageHeader title="Gain-share approvals" subtitle="Runs wait here until an operator admin approves or rejects them; an approved fee goes once onto the tenant's next invoice." />

      <Card title={`Approval queue (${pending.length})`}>
        {pending.length === 0 ? (
          <EmptyState title="Nothing to approve">New runs appear here when they are created.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {pending.map((r) => {
              const summary = `${r.tenantName} — ${monthLabel(r.periodStart, r.locale)}, fee ${formatMoney(r.fee, r.currency, r.locale)}`;
              return (
                <li key={r.id} className="py-4 first:pt-0 last:pb-0" data-testid={`pending-run-${r.id}`}>
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div>
                      <p className="font-medium">
                        {r.tenantName} · {monthLabel(r.periodStart, r.locale)}
                      </p>
                      <p className="text-sm text-slate-600 tabular">
                        Savings {formatMoney(r.totalSavings, r.currency, r.locale)} × {formatNumber(r.sharePercent, r.locale, 4)} % = fee{" "}
                        <strong className="text-slate-900">{formatMoney(r.fee, r.currency, r.locale)}</strong>
                      </p>
                      <p className="text-xs text-slate-500">
                        Created {formatDateTime(r.createdAt, r.locale)}
                        {r.createdByEmail ? ` by ${r.createdByEmail}` : ""} ·{" "}
                        <Link className="text-brand-700 hover:underline" href={`/admin/gain-share/tenants/${r.tenantId}`}>
                          KPIs and baselines
                        </Link>
                      </p>
                    </div>
                    <div className="flex gap-2">
                      <DecideRunDialog tenantId={r.tenantId} runId={r.id} decision="approved" summary={summary} action={decideRunAction} />
                      <DecideRunDialog tenantId={r.tenantId} runId={r.id} decision="rejected" summary={summary} action={decideRunAction} />
                    </div>
                  </div>
                  <details className="mt-3">
                    <summary className="cursor-pointer text-sm text-brand-700">Breakdown per KPI</summary>
                    <div className="mt-3">
                      <RunBreakdown run={r} kpis={kpisByTenant.get(r.tenantId) ?? []} locale={r.locale} chart={false} />
                    </div>
                  </details>
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      <Card title="Create a run">
        {tenants.length === 0 ? (
          <EmptyState title="No tenant has a plan with gain-share" />
        ) : (
          <CreateRunForm
            tenants={tenants.map((t) => ({ id: t.id, name: t.name, planCode: t.planCode, range: t.range }))}
            defaultMonth={lastMonth}
            maxMonth={lastMonth}
            action={createRunAction}
          />
        )}
      </Card>

      <Card title="Recently decided">
        {decided.length === 0 ? (
          <EmptyState title="No decisions yet" />
        ) : (
          <Table caption="Recently decided gain-share runs">
            <THead>
              <Th>Tenant</Th>
              <Th>Month</Th>
              <Th>Status</Th>
              <Th numeric>Fee</Th>
              <Th>Decided</Th>
              <Th>Comment</Th>
              <Th>Invoice</Th>
            </THead>
            <TBody>
              {decided.map((r) => (
                <tr key={r.id}>
                  <Td>
                    <Link className="text-brand-700 hover:underline" href={`/admin/gain-share/tenants/${r.tenantId}`}>
                      {r.tenantName}
                    </Link>
                  </Td>
                  <Td>{monthLabel(r.periodStart, r.locale)}</Td>
                  <Td>
                    <RunStatusBadge status={r.status} />
                  </Td>
                  <Td numeric>{r.status === "rejected" ? "—" : formatMoney(r.fee, r.currency, r.locale)}</Td>
                  <Td>
                    {r.decidedAt ? formatDate(r.decidedAt, r.locale) : "—"}
                    {r.decidedByEmail ? <span className="block text-xs text-slate-500">{r.decidedByEmail}</span> : null}
                  </Td>
                  <Td className="max-w-[16rem] whitespace-normal">{r.decisionComment ?? "—"}</Td>
                  <Td>{r.invoiceNumber ?? (r.status === "approved" ? "Next invoice" : "—")}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
