import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { requireTenantRole } from "@/lib/auth/guards";
import { describeInterval } from "@/lib/domain/period";
import { toDecimal } from "@/lib/domain/money";
import { formatDate, formatMoney, formatNumber } from "@/lib/format";
import { DunningBanner } from "@/components/billing/dunning-banner";
import { buttonClasses } from "@/components/ui/button";
import { billingOverviewFor, pendingPlanChangeFor, upcomingInvoiceFor } from "@/lib/services/invoice-views/cached";

export const metadata: Metadata = { title: "Billing overview" };

export default async function BillingPage() {
  const { tenant } = await requireTenantRole("member");
  const [overview, upcoming, pending] = await Promise.all([
    billingOverviewFor(tenant.tenantId),
    upcomingInvoiceFor(tenant.tenantId),
    pendingPlanChangeFor(tenant.tenantId),
  ]);
  if (!overview) {
    return (
      <Card title="No active subscription">
        <p className="text-sm text-slate-600">{tenant.name} has no active plan. Ask your administrator to choose one.</p>
      </Card>
    );
  }
  const { plan, period, quotas, alerts } = overview;
  const locale = overview.tenant.locale;
  return (
    <div className="space-y-6">
      <DunningBanner state={overview.dunningState} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Billing overview</h1>
          <p className="text-sm text-slate-600">{overview.tenant.name}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href="/billing/usage" className={buttonClasses("secondary", "sm")}>
            Usage details
          </Link>
          <Link href="/billing/plans" className={buttonClasses("secondary", "sm")}>
            Change plan
          </Link>
        </div>
      </div>
      {pending ? (
        <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Your plan changes to <strong>{pending.displayName}</strong> on {formatDate(pending.effectiveAt, locale)}.
        </div>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2 lg:grid-cols-4">
        <Card title="Plan">
          <p className="text-xl font-semibold">
            {plan.displayName} <span className="text-sm font-normal text-slate-500">({plan.code})</span>
          </p>
          <p className="mt-1 text-sm text-slate-600 tabular">
            {formatMoney(plan.baseFee, plan.currency, locale)} {describeInterval(plan.interval)}
          </p>
        </Card>
        <Card title="Current period">
          <p className="text-sm tabular">
            {formatDate(period.start, locale)} – {formatDate(period.end, locale)}
          </p>
          <p className="mt-1 text-xl font-semibold tabular">
            {period.daysLeft} {period.daysLeft === 1 ? "day" : "days"} <span className="text-sm font-normal text-slate-500">until renewal</span>
          </p>
        </Card>
        <Card title="Upcoming invoice">
          {upcoming ? (
            <>
              <p className="text-xl font-semibold tabular">{formatMoney(upcoming.preview.total, upcoming.preview.currency, locale)}</p>
              <p className="mt-1 text-sm text-slate-600">
                So far this period, issued {formatDate(upcoming.issuesAt, locale)}
                {toDecimal(upcoming.preview.tax).isZero() ? "" : " (tax included)"}.
              </p>
              <Link href="/billing/invoices" className="mt-2 inline-block text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
                Invoices
              </Link>
            </>
          ) : (
            <p className="text-sm text-slate-600">No invoice is being prepared.</p>
          )}
        </Card>
        <Card title="Alerts this period">
          {alerts.length === 0 ? (
            <p className="text-sm text-slate-600">No alerts.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {alerts.map((a) => (
                <li key={`${a.metricCode}-${a.thresholdPercent}`} className="flex items-center gap-2">
                  <Badge tone={a.thresholdPercent >= 100 ? "bad" : "warn"}>{a.name}</Badge>
                  <span className="text-slate-600">
                    {a.thresholdPercent}% of {a.metricCode} on {formatDate(a.firedAt, locale)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title="Usage this period">
        <ul className="divide-y divide-slate-100">
          {quotas.map((q) => (
            <li key={q.code} className="py-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                <span className="font-medium text-slate-800">{q.name}</span>
                <span className="tabular text-slate-700">
                  {formatNumber(q.used, locale)}
                  {q.included !== "unlimited" ? ` of ${formatNumber(q.included, locale)} ${q.unit}s used` : ` ${q.unit}s`}
                  {q.remaining !== null ? ` · ${formatNumber(q.remaining, locale)} remaining` : ""}
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
    </div>
  );
}
