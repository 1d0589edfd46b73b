import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { PageHeader } from "@/components/billing/page-header";
import { RunBreakdown } from "@/components/gain-share/run-breakdown";
import { RunStatusBadge } from "@/components/gain-share/run-status-badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { requireTenantRole } from "@/lib/auth/guards";
import { formatDate, formatMoney, formatNumber } from "@/lib/format";
import { getUpcomingInvoice } from "@/lib/services/billing/upcoming-invoice";
import { listTenantRuns } from "@/lib/services/gain-share/run-queries";
import { loadTenantContext } from "@/lib/services/gain-share/tenant-context";

export const metadata: Metadata = { title: "Gain-share" };

function monthLabel(periodStart: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${periodStart}T00:00:00Z`));
}

export default async function GainSharePage({ searchParams }: { searchParams: Promise<{ run?: string | string[] }> }) {
  const { tenant } = await requireTenantRole("member");
  const db = await getDb();
  const [runs, ctx, upcoming] = await Promise.all([
    listTenantRuns(db, tenant.tenantId),
    loadTenantContext(db, tenant.tenantId).catch(() => null),
    getUpcomingInvoice(db, tenant.tenantId),
  ]);
  const locale = tenant.locale;
  const range = ctx?.plan.gain_share ?? null;
  const requested = (await searchParams).run;
  const selected = runs.find((r) => r.id === requested) ?? runs.find((r) => r.status !== "rejected") ?? runs[0];
  const nextLine = (runId: string) => upcoming?.preview.lines.find((l) => l.code === `gain_share:${runId}`) ?? null;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Gain-share"
        subtitle={
          range
            ? `Your ${ctx!.plan.display_name} plan shares ${range.min_percent}–${range.max_percent} % of the savings your KPIs show against their baselines. Runs are approved by your provider before any fee is billed.`
            : "Performance-based fees computed from KPI savings."
        }
      />
      {runs.length === 0 ? (
        <EmptyState title="No gain-share runs yet">
          {range
            ? "When a month's KPI measurements are in, your provider computes a run; it appears here with its breakdown."
            : "Your current plan has no gain-share fee."}
        </EmptyState>
      ) : (
        <>
          <Card title="Runs">
            <Table caption="Gain-share runs">
              <THead>
                <Th>Month</Th>
                <Th>Status</Th>
                <Th numeric>Share</Th>
                <Th numeric>Total savings</Th>
                <Th numeric>Fee</Th>
                <Th>Billing</Th>
                <Th>
                  <span className="sr-only">Breakdown</span>
                </Th>
              </THead>
              <TBody>
                {runs.map((r) => {
                  const line = r.status === "approved" && !r.invoicedInvoiceId ? nextLine(r.id) : null;
                  return (
                    <tr key={r.id} className={r.id === selected?.id ? "bg-brand-50/60" : undefined}>
                      <Td className="font-medium">{monthLabel(r.periodStart, locale)}</Td>
                      <Td>
                        <RunStatusBadge status={r.status} />
                      </Td>
                      <Td numeric>{formatNumber(r.sharePercent, locale, 4)} %</Td>
                      <Td numeric>{formatMoney(r.totalSavings, r.currency, locale)}</Td>
                      <Td numeric className="font-medium">{r.status === "rejected" ? "—" : formatMoney(r.fee, r.currency, locale)}</Td>
                      <Td>
                        {r.invoicedInvoiceId ? (
                          <Link className="text-brand-700 underline-offset-2 hover:underline" href={`/billing/invoices/${r.invoicedInvoiceId}`}>
                            Invoiced on {r.invoiceNumber ?? "an invoice"}
                          </Link>
                        ) : line && upcoming ? (
                          <span>On the next invoice ({formatDate(upcoming.issuesAt, locale)})</span>
                        ) : r.status === "pending_approval" ? (
                          <span className="text-slate-600">Not billed until approved</span>
                        ) : r.status === "rejected" ? (
                          <span className="text-slate-600">Not billed</span>
                        ) : (
                          <span>On the next invoice</span>
                        )}
                      </Td>
                      <Td>
                        <Link className="text-brand-700 underline-offset-2 hover:underline" href={`/billing/gain-share?run=${r.id}`} aria-label={`Breakdown of ${monthLabel(r.periodStart, locale)}`}>
                          Breakdown
                        </Link>
                      </Td>
                    </tr>
                  );
                })}
              </TBody>
            </Table>
          </Card>
          {selected ? (
            <Card
              title={`Breakdown — ${monthLabel(selected.periodStart, locale)}`}
              action={<RunStatusBadge status={selected.status} />}
            >
              <dl className="mb-4 grid gap-3 text-sm sm:grid-cols-3">
                <div>
                  <dt className="text-slate-600">Computed</dt>
                  <dd>{formatDate(selected.createdAt, locale)}</dd>
                </div>
                <div>
                  <dt className="text-slate-600">Decision</dt>
                  <dd>
                    {selected.decidedAt ? `${selected.status === "approved" ? "Approved" : "Rejected"} on ${formatDate(selected.decidedAt, locale)}` : "Awaiting approval"}
                  </dd>
                </div>
                <div>
                  <dt className="text-slate-600">Decision comment</dt>
                  <dd data-testid="decision-comment">{selected.decisionComment ?? "—"}</dd>
                </div>
              </dl>
              {(() => {
                const line = selected.status === "approved" && !selected.invoicedInvoiceId ? nextLine(selected.id) : null;
                return line && upcoming ? (
                  <p className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="next-invoice-line">
                    Your next invoice, issued {formatDate(upcoming.issuesAt, locale)}, carries this fee: {line.description} —{" "}
                    <strong>{formatMoney(line.amount, selected.currency, locale)}</strong>
                  </p>
                ) : null;
              })()}
              <RunBreakdown run={selected} kpis={ctx?.catalog.kpis ?? []} locale={locale} />
            </Card>
          ) : null}
        </>
      )}
    </div>
  );
}
