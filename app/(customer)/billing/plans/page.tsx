import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { ChangePlanDialog, type ChangePlanChoice } from "@/components/billing/change-plan-dialog";
import { DunningBanner } from "@/components/billing/dunning-banner";
import { PageHeader } from "@/components/billing/page-header";
import { planFacts, unitPrice } from "@/components/billing/plan-facts";
import { requireTenantRole } from "@/lib/auth/guards";
import { ROLE_RANK } from "@/lib/auth/session";
import { describeInterval } from "@/lib/domain/period";
import { toDecimal } from "@/lib/domain/money";
import { formatDate, formatMoney, formatNumber } from "@/lib/format";
import { planOptionsFor } from "@/lib/services/invoice-views/cached";
import type { PlanOption } from "@/lib/services/plan-change/plan-change-options";
import { changePlanAction } from "./actions";

export const metadata: Metadata = { title: "Plans" };

function signed(amount: string, currency: string, locale: string): string {
  const d = toDecimal(amount);
  if (d.isZero()) return formatMoney("0", currency, locale);
  return `${d.isNegative() ? "−" : "+"}${formatMoney(d.abs().toFixed(), currency, locale)}`;
}

export default async function PlansPage() {
  const { tenant, role } = await requireTenantRole("member");
  const data = await planOptionsFor(tenant.tenantId);
  const locale = tenant.locale;
  if (!data) {
    return (
      <div className="space-y-6">
        <PageHeader title="Plans" />
        <EmptyState title="No active subscription">Your organisation has no plan yet. Contact your operator to start one.</EmptyState>
      </div>
    );
  }
  const { ctx, options, currentTotal } = data;
  const current = ctx.current.plan;
  const currency = current.currency;
  const canChange = ROLE_RANK[role] >= ROLE_RANK.admin;
  const periodLabel = `${formatDate(ctx.period.startsAt, locale)} – ${formatDate(ctx.period.endsAt, locale)}`;
  const currentOption = options.find((o) => o.isCurrent);

  const choiceFor = (o: PlanOption): ChangePlanChoice | null => {
    if (o.isCurrent) {
      if (!ctx.pending) return null;
      return {
        planCode: o.planCode,
        displayName: o.displayName,
        kind: "cancel_scheduled",
        triggerLabel: `Keep ${o.displayName}`,
        summary: `Cancel the scheduled change to ${ctx.pending.displayName} on ${formatDate(ctx.period.endsAt, locale)}.`,
        rows: [{ label: "Plan after this period", value: `${o.displayName} (unchanged)`, emphasis: true }],
        note: "Nothing else changes.",
      };
    }
    if (o.blockedReason || o.isPending) return null;
    if (o.direction === "upgrade") {
      return {
        planCode: o.planCode,
        displayName: o.displayName,
        kind: "upgrade",
        triggerLabel: `Upgrade to ${o.displayName}`,
        summary: `Takes effect now. The new plan applies to the whole current period (${periodLabel}).`,
        rows: [
          { label: `This period on ${current.display_name}`, value: formatMoney(currentTotal, currency, locale) },
          { label: `This period on ${o.displayName}`, value: formatMoney(o.periodTotal, currency, locale) },
          { label: "Difference on your next invoice", value: signed(o.difference, currency, locale), emphasis: true },
        ],
        note: `Invoice issued ${formatDate(ctx.period.endsAt, locale)}. Totals use this period's usage so far and include tax; usage until the period ends is added.`,
      };
    }
    return {
      planCode: o.planCode,
      displayName: o.displayName,
      kind: "downgrade",
      triggerLabel: `Switch to ${o.displayName}`,
      summary: `Takes effect at the end of this period, on ${formatDate(ctx.period.endsAt, locale)}. This period stays on ${current.display_name}.`,
      rows: [
        { label: `Base fee on ${current.display_name}`, value: formatMoney(currentOption?.baseFee ?? "0", currency, locale) },
        { label: `Base fee on ${o.displayName}`, value: formatMoney(o.baseFee, currency, locale) },
        { label: "Change per period", value: signed(o.difference, currency, locale), emphasis: true },
      ],
      note: "Included credits and quotas of the new plan apply from the next period; usage beyond them is billed at its prices.",
    };
  };

  const pool = current.components.find((c) => c.kind === "credit_pool");
  const factsByPlan = ctx.candidates.map((c) => ({ code: c.plan.code, facts: planFacts(ctx.catalog, c.plan, locale) }));
  const factRows = factsByPlan[0]?.facts.map((f) => ({ key: f.key, label: f.label })) ?? [];
  for (const p of factsByPlan) for (const f of p.facts) if (!factRows.some((r) => r.key === f.key)) factRows.push({ key: f.key, label: f.label });

  return (
    <div className="space-y-6">
      <DunningBanner state={ctx.subscription.dunningState} />
      <PageHeader
        title="Plans"
        subtitle={
          <>
            You are on <strong className="font-medium text-slate-800">{current.display_name}</strong> ({current.code}), billed {describeInterval(current.interval)} in {currency}.
          </>
        }
      />
      {ctx.pending ? (
        <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Your plan changes to <strong>{ctx.pending.displayName}</strong> ({ctx.pending.planCode}) on {formatDate(ctx.period.endsAt, locale)}.
        </div>
      ) : null}

      <section aria-labelledby="plan-cards" className="space-y-3">
        <h2 id="plan-cards" className="sr-only">
          Available plans
        </h2>
        <ul className="grid gap-4 md:grid-cols-3">
          {options.map((o) => {
            const choice = canChange ? choiceFor(o) : null;
            return (
              <li key={o.planCode} className={`flex flex-col rounded-xl border bg-white p-5 shadow-sm ${o.isCurrent ? "border-brand-600 ring-1 ring-brand-600" : "border-slate-200"}`}>
                <div className="flex items-start justify-between gap-2">
                  <div>
                    <h3 className="text-lg font-semibold">{o.displayName}</h3>
                    <p className="text-xs font-medium text-slate-600">{o.planCode}</p>
                  </div>
                  {o.isCurrent ? <Badge tone="info">Current plan</Badge> : o.isPending ? <Badge tone="warn">Starts {formatDate(ctx.period.endsAt, locale)}</Badge> : null}
                </div>
                {o.description ? <p className="mt-2 text-sm text-slate-600">{o.description}</p> : null}
                <p className="mt-4 text-2xl font-semibold tabular">
                  {formatMoney(o.baseFee, o.currency, locale)}
                  <span className="text-sm font-normal text-slate-600"> / {current.interval.unit === "month" && current.interval.count === 1 ? "month" : describeInterval(current.interval)}</span>
                </p>
                <ul className="mt-4 flex-1 space-y-1.5 text-sm text-slate-700">
                  {o.features.map((f) => (
                    <li key={f} className="flex gap-2">
                      <span aria-hidden="true" className="text-brand-700">✓</span>
                      {f}
                    </li>
                  ))}
                </ul>
                <div className="mt-5 text-sm">
                  {o.blockedReason ? (
                    <p className="text-slate-600">{o.blockedReason}</p>
                  ) : choice ? (
                    <ChangePlanDialog choice={choice} action={changePlanAction} />
                  ) : o.isCurrent ? (
                    <p className="text-slate-600">You are on this plan.</p>
                  ) : o.isPending ? (
                    <p className="text-slate-600">Scheduled for the next period.</p>
                  ) : (
                    <p className="text-slate-600">Ask an owner or admin of {tenant.name} to change the plan.</p>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
        <p className="text-sm text-slate-600">
          Upgrades take effect immediately and the new plan is billed for the whole current period; downgrades take effect at the end of the period.
        </p>
      </section>

      <Card title="Compare plans">
        <Table caption="Plan comparison">
          <THead>
            <Th>Feature</Th>
            {ctx.candidates.map((c) => (
              <Th key={c.plan.code} numeric>
                {c.plan.display_name}
              </Th>
            ))}
          </THead>
          <TBody>
            {factRows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className="px-3 py-2 text-left font-normal text-slate-700">
                  {row.label}
                </th>
                {factsByPlan.map((p) => (
                  <Td key={p.code} numeric>
                    {p.facts.find((f) => f.key === row.key)?.value ?? "—"}
                  </Td>
                ))}
              </tr>
            ))}
          </TBody>
        </Table>
      </Card>

      {pool && pool.kind === "credit_pool" ? (
        <Card title="How credits are consumed">
          <p className="mb-3 text-sm text-slate-600">
            Every metered operation burns credits from the {pool.name} pool included in your plan ({formatNumber(pool.included, locale)} per period on {current.display_name}). Beyond it, each credit costs{" "}
            {unitPrice(pool.price_per_credit, currency, locale)}.
          </p>
          <Table caption="Credit consumption guide">
            <THead>
              <Th>Operation</Th>
              <Th>Event type</Th>
              <Th>One unit is</Th>
              <Th numeric>Credits per unit</Th>
              <Th numeric>Cost per unit beyond included</Th>
            </THead>
            <TBody>
              {pool.credit_rules.map((r) => (
                <tr key={r.event_type}>
                  <Td>{r.name}</Td>
                  <Td>
                    <code className="text-xs">{r.event_type}</code>
                  </Td>
                  <Td>{r.unit_label}</Td>
                  <Td numeric>{formatNumber(r.credits_per_unit, locale)}</Td>
                  <Td numeric>{unitPrice(toDecimal(r.credits_per_unit).times(toDecimal(pool.price_per_credit)).toFixed(), currency, locale)}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}
    </div>
  );
}
