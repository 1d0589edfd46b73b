/**
 * Plan facts for cards and the comparison table, formatted for display (server side): what is included and
 * what usage beyond it costs. Decimal strings go to Intl as strings, never through floats.
 */
import { findMetric } from "@/lib/domain/catalog/lookup";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";
import { describeCell } from "@/lib/domain/catalog/dimensions";
import { formatMoney, formatNumber } from "@/lib/format";
import { toDecimal } from "@/lib/domain/money";

export interface PlanFact {
  key: string;
  label: string;
  value: string;
}

function money(amount: string, currency: string, locale: string): string {
  // Keep sub-cent unit prices ("0.0020") visible: Intl would round them to the currency's minor unit.
  const decimals = amount.includes(".") ? amount.split(".")[1].replace(/0+$/, "").length : 0;
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: Math.max(2, Math.min(decimals, 6)), maximumFractionDigits: Math.max(2, Math.min(decimals, 6)) }).format(
    amount as unknown as number,
  );
}

export function unitPrice(amount: string, currency: string, locale: string): string {
  return money(amount, currency, locale);
}

export function planFacts(catalog: Catalog, plan: Plan, locale: string): PlanFact[] {
  const facts: PlanFact[] = [];
  const cur = plan.currency;
  for (const c of plan.components) {
    if (c.kind === "base_fee") {
      facts.push({ key: "base", label: c.name, value: formatMoney(c.amount, cur, locale) });
    } else if (c.kind === "credit_pool") {
      facts.push({ key: `${c.code}:included`, label: `${c.name} included`, value: formatNumber(c.included, locale) });
      facts.push({ key: `${c.code}:price`, label: `${c.name} beyond`, value: `${money(c.price_per_credit, cur, locale)} per credit` });
    } else if (c.kind === "metered" || c.kind === "counted") {
      const m = findMetric(catalog, c.metric);
      facts.push({
        key: `${m.code}:included`,
        label: `${m.name} included`,
        value: c.included === "unlimited" ? "Unlimited" : `${formatNumber(c.included, locale)} ${m.unit}${c.included === "1" ? "" : "s"}`,
      });
      if (c.included !== "unlimited") {
        const per = c.per === "1" ? m.unit : `${formatNumber(c.per, locale)} ${m.unit}s`;
        facts.push({
          key: `${m.code}:price`,
          label: `${m.name} beyond`,
          value: c.unit_price === "0" || /^0(\.0+)?$/.test(c.unit_price) ? "Not billed" : `${money(c.unit_price, cur, locale)} per ${per}`,
        });
      }
      const limit = plan.limits[m.code];
      if (limit && limit.kind !== "none" && limit.kind !== "soft") {
        facts.push({
          key: `${m.code}:limit`,
          label: `${m.name} limit`,
          value: limit.kind === "hard" ? "Hard limit" : `Blocked beyond ${limit.percent}%`,
        });
      }
    } else if (c.kind === "dimensional") {
      const m = findMetric(catalog, c.metric);
      const prices = Object.entries(c.prices);
      facts.push({
        key: `${m.code}:prices`,
        label: `${m.name} per unit`,
        value: prices.length <= 3 ? prices.map(([cell, p]) => `${describeCell(cell)} ${money(p, cur, locale)}`).join(", ") : `${prices.length} prices from ${money(prices.map(([, p]) => p).sort((a, b) => toDecimal(a).comparedTo(toDecimal(b)))[0], cur, locale)}`,
      });
    }
  }
  for (const [code, max] of Object.entries(plan.count_limits)) {
    facts.push({ key: `count:${code}`, label: `Max ${code}`, value: formatNumber(String(max), locale) });
  }
  facts.push({
    key: "gain_share",
    label: "Gain-share",
    value: plan.gain_share ? `${plan.gain_share.min_percent}–${plan.gain_share.max_percent}% of verified savings` : "—",
  });
  return facts;
}
