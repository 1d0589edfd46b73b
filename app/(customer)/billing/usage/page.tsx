import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Progress } from "@/components/ui/progress";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { LazyBarChart as BarChart } from "@/components/charts/lazy-bar-chart";
import { ChartLegend } from "@/components/charts/legend";
import { CreditCalculator } from "@/components/billing/credit-calculator";
import { DunningBanner } from "@/components/billing/dunning-banner";
import { PageHeader } from "@/components/billing/page-header";
import { requireTenantRole } from "@/lib/auth/guards";
import { toDecimal } from "@/lib/domain/money";
import { formatDate, formatNumber } from "@/lib/format";
import { billingOverviewFor } from "@/lib/services/invoice-views/cached";
import { usageViewFor } from "@/lib/services/usage-views/cached";

export const metadata: Metadata = { title: "Usage" };

function shortDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}
function monthLabel(d: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: "short", year: "2-digit", timeZone: "UTC" }).format(d);
}

export default async function UsagePage() {
  const { tenant } = await requireTenantRole("member");
  const [view, overview] = await Promise.all([usageViewFor(tenant.tenantId), billingOverviewFor(tenant.tenantId)]);
  const locale = tenant.locale;
  if (!view || !overview) {
    return (
      <div className="space-y-6">
        <PageHeader title="Usage" />
        <EmptyState title="No active subscription">Usage appears here once your organisation has a plan.</EmptyState>
      </div>
    );
  }
  const { primary } = view;
  const totalCredits = view.creditsByEventType.reduce((s, r) => s.plus(toDecimal(r.credits)), toDecimal(0));
  const hasDaily = view.daily.points.some((p) => Object.values(p.exact).some((v) => !toDecimal(v).isZero()));
  const poolQuota = view.creditPool ? overview.quotas.find((q) => q.code === view.creditPool!.code) : undefined;

  return (
    <div className="space-y-6">
      <DunningBanner state={overview.dunningState} />
      <PageHeader
        title="Usage"
        subtitle={`${view.plan.displayName} · ${formatDate(view.period.start, locale)} – ${formatDate(view.period.end, locale)}`}
      />

      <Card title="Quotas this period">
        {overview.quotas.length === 0 ? (
          <p className="text-sm text-slate-600">This plan has no metered quotas.</p>
        ) : (
          <ul className="grid gap-x-8 gap-y-4 md:grid-cols-2">
            {overview.quotas.map((q) => (
              <li key={q.code}>
                <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                  <span className="font-medium text-slate-800">{q.name}</span>
                  <span className="tabular text-slate-700" data-testid={`quota-${q.code}`}>
                    {formatNumber(q.used, locale)}
                    {q.included !== "unlimited" ? ` / ${formatNumber(q.included, locale)}` : ""} {q.unit}s
                  </span>
                </div>
                {q.percent !== null ? (
                  <div className="mt-2">
                    <Progress value={q.percent} label={`${q.name}: ${q.percent}% of included`} />
                    <p className="mt-1 text-xs text-slate-600 tabular">
                      {q.percent}% used{q.remaining !== null ? ` · ${formatNumber(q.remaining, locale)} left` : ""}
                    </p>
                  </div>
                ) : (
                  <p className="mt-1 text-xs text-slate-600">No included amount: every unit is billed.</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        {view.creditPool ? (
          <Card title="Credits by event type">
            {view.creditsByEventType.length === 0 ? (
              <EmptyState title="No credits used yet this period" />
            ) : (
              <>
                <BarChart
                  ariaLabel="Credits by event type this period (table below)"
                  locale={locale}
                  series={[{ key: "credits", label: "Credits" }]}
                  data={view.creditsByEventType.map((r) => ({ label: r.name, values: { credits: r.creditsNumber } }))}
                  height={220}
                />
                <Table caption="Credits by event type">
                  <THead>
                    <Th>Event type</Th>
                    <Th numeric>Units</Th>
                    <Th numeric>Credits</Th>
                    <Th numeric>Share</Th>
                  </THead>
                  <TBody>
                    {view.creditsByEventType.map((r) => (
                      <tr key={r.eventType}>
                        <Td>
                          {r.name} <span className="text-xs text-slate-600">({r.unitLabel})</span>
                        </Td>
                        <Td numeric>{formatNumber(r.units, locale)}</Td>
                        <Td numeric>{formatNumber(r.credits, locale)}</Td>
                        <Td numeric>
                          {totalCredits.isZero() ? "—" : `${toDecimal(r.credits).dividedBy(totalCredits).times(100).toFixed(1)}%`}
                        </Td>
                      </tr>
                    ))}
                  </TBody>
                </Table>
              </>
            )}
          </Card>
        ) : null}

        <Card title={view.creditPool ? "Daily credits this period" : "Daily usage this period"}>
          {hasDaily ? (
            <>
              <BarChart
                ariaLabel="Daily usage this period, stacked by series (table in the details below)"
                locale={locale}
                series={view.daily.series}
                stacked
                data={view.daily.points.map((p) => ({ label: shortDay(p.day, locale), values: p.values }))}
              />
              <ChartLegend series={view.daily.series} />
              <details className="mt-3 text-sm">
                <summary className="cursor-pointer text-brand-700">Daily figures</summary>
                <Table caption="Daily usage">
                  <THead>
                    <Th>Day</Th>
                    {view.daily.series.map((s) => (
                      <Th key={s.key} numeric>
                        {s.label}
                      </Th>
                    ))}
                  </THead>
                  <TBody>
                    {view.daily.points.map((p) => (
                      <tr key={p.day}>
                        <Td>{shortDay(p.day, locale)}</Td>
                        {view.daily.series.map((s) => (
                          <Td key={s.key} numeric>
                            {formatNumber(p.exact[s.key] ?? "0", locale)}
                          </Td>
                        ))}
                      </tr>
                    ))}
                  </TBody>
                </Table>
              </details>
            </>
          ) : (
            <EmptyState title="No usage yet this period">Events sent to the usage API appear here within seconds.</EmptyState>
          )}
        </Card>
      </div>

      {primary ? (
        <Card title={`${primary.name}: last ${view.history.length} ${view.history.length === 1 ? "period" : "periods"}`}>
          <BarChart
            ariaLabel={`${primary.name} per billing period (table below)`}
            locale={locale}
            series={[{ key: "used", label: primary.name }]}
            data={view.history.map((h) => ({ label: monthLabel(h.start, locale), values: { used: h.usedNumber } }))}
            reference={primary.included ? { value: toDecimal(primary.included).toNumber(), label: "Included" } : undefined}
            height={220}
          />
          <Table caption={`${primary.name} per period`}>
            <THead>
              <Th>Period</Th>
              <Th numeric>Used</Th>
              <Th numeric>Included</Th>
              <Th numeric>Of included</Th>
            </THead>
            <TBody>
              {view.history.map((h) => (
                <tr key={h.periodIndex}>
                  <Td>
                    {formatDate(h.start, locale)} – {formatDate(h.end, locale)}
                    {h.current ? <span className="ml-2 text-xs font-medium text-brand-700">current</span> : null}
                  </Td>
                  <Td numeric>{formatNumber(h.used, locale)}</Td>
                  <Td numeric>{h.included ? formatNumber(h.included, locale) : "—"}</Td>
                  <Td numeric>
                    {h.included && !toDecimal(h.included).isZero() ? `${toDecimal(h.used).dividedBy(toDecimal(h.included)).times(100).toFixed(0)}%` : "—"}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Breakdown">
          {view.breakdowns.length === 0 ? (
            <EmptyState title="No breakdown available">
              Usage can be broken down by an event property (such as <code>vertical</code> or <code>site</code>) when the catalog declares one.
            </EmptyState>
          ) : (
            <div className="space-y-5">
              {view.breakdowns.map((b) => (
                <div key={b.title}>
                  <h3 className="text-sm font-medium text-slate-800">
                    {b.title}
                    {b.asOf ? <span className="font-normal text-slate-600"> · snapshot of {shortDay(b.asOf, locale)}</span> : null}
                  </h3>
                  <Table caption={b.title}>
                    <THead>
                      <Th>{b.property}</Th>
                      <Th numeric>Quantity</Th>
                    </THead>
                    <TBody>
                      {b.rows.map((r) => (
                        <tr key={r.segment}>
                          <Td>{r.segment}</Td>
                          <Td numeric>
                            {formatNumber(r.quantity, locale)} {r.unit}s
                          </Td>
                        </tr>
                      ))}
                    </TBody>
                  </Table>
                </div>
              ))}
            </div>
          )}
        </Card>

        {view.creditPool && view.creditRules.length ? (
          <Card title="Credit calculator">
            <p className="mb-3 text-sm text-slate-600">Estimate the credits a workload will burn on your plan.</p>
            <CreditCalculator
              rules={view.creditRules}
              remaining={poolQuota?.remaining ?? "0"}
              pricePerCredit={view.creditPool.pricePerCredit}
              currency={view.currency}
              locale={locale}
            />
          </Card>
        ) : null}
      </div>
    </div>
  );
}
