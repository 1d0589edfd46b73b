import type { Metadata } from "next";
import { getDb } from "@/db";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { requireTenantRole } from "@/lib/auth/guards";
import { describeInterval } from "@/lib/domain/period";
import { formatDate, formatMoney, formatNumber } from "@/lib/format";
import { getBillingOverview } from "@/lib/services/overview/get-billing-overview";

export const metadata: Metadata = { title: "Billing overview" };

export default async function BillingPage() {
  const { tenant } = await requireTenantRole("member");
  const overview = await getBillingOverview(await getDb(), { tenantId: tenant.tenantId, now: new Date() });
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
      {overview.dunningState !== "ok" ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          {overview.dunningState === "suspended"
            ? "Your account is suspended for non-payment: usage is not being accepted. Pay the open invoice to restore service."
            : overview.dunningState === "past_due"
              ? "Your payment is past due. Please update your payment method to avoid suspension."
              : "Your last payment failed. We will retry it; please check your payment method."}
        </div>
      ) : null}
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Billing overview</h1>
          <p className="text-sm text-slate-600">{overview.tenant.name}</p>
        </div>
      </div>
      <div className="grid gap-4 md:grid-cols-3">
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
