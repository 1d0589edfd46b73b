/** Turns the parsed input form into the resolved Catalog: plan defaults inherited, codes and names filled. */
import type { ParsedCatalogInput } from "./schema";
import type { AlertThreshold, Catalog, Metric, Plan, PriceComponent } from "./types";

type ParsedPlan = ParsedCatalogInput["plans"][number];
type ParsedComponent = ParsedPlan["components"][number];
type ParsedThreshold = ParsedCatalogInput["alert_thresholds"][number];

function normalizeThreshold(t: ParsedThreshold): AlertThreshold {
  if (typeof t === "number") return { percent: t, code: `USAGE_${t}`, metrics: null };
  return { percent: t.percent, code: t.code ?? `USAGE_${t.percent}`, metrics: t.metrics ?? null };
}

function normalizeComponent(c: ParsedComponent, metrics: Map<string, Metric>): PriceComponent {
  switch (c.kind) {
    case "base_fee":
      return { kind: "base_fee", code: c.code ?? "base_fee", name: c.name ?? "Base fee", amount: c.amount };
    case "credit_pool":
      return {
        kind: "credit_pool",
        code: c.code,
        name: c.name ?? "Credits",
        included: c.included,
        price_per_credit: c.price_per_credit,
        credit_rules: c.credit_rules.map((r) => ({
          event_type: r.event_type,
          name: r.name ?? r.event_type,
          credits_per_unit: r.credits_per_unit,
          unit_label: r.unit_label,
        })),
      };
    case "metered":
    case "counted":
      return {
        kind: c.kind,
        code: c.code ?? c.metric,
        name: c.name ?? metrics.get(c.metric)?.name ?? c.metric,
        metric: c.metric,
        included: c.included,
        unit_price: c.unit_price,
        per: c.per,
        rounding: c.rounding,
      };
    case "dimensional":
      return {
        kind: "dimensional",
        code: c.code ?? c.metric,
        name: c.name ?? metrics.get(c.metric)?.name ?? c.metric,
        metric: c.metric,
        prices: { ...c.prices },
      };
  }
}

export function normalizeCatalog(input: ParsedCatalogInput): Catalog {
  const metrics: Metric[] = input.metrics.map((m) => ({
    code: m.code,
    name: m.name,
    unit: m.unit,
    description: m.description ?? null,
    kind: m.kind,
    aggregation: m.aggregation ?? null,
    event_types: [...m.event_types],
    filter: m.filter ? { ...m.filter } : null,
    dimensions: m.dimensions.map((d) => ({ key: d.key, name: d.name ?? d.key, values: [...d.values] })),
    breakdowns: m.breakdowns.map((b) => ({ property: b.property, name: b.name ?? b.property, values: b.values ?? null })),
    corrections: m.corrections,
  }));
  const byCode = new Map(metrics.map((m) => [m.code, m]));
  const catalogThresholds = input.alert_thresholds.map(normalizeThreshold);

  const plans: Plan[] = input.plans.map((p) => ({
    code: p.code,
    name: p.name,
    display_name: p.display_name ?? p.name,
    description: p.description ?? null,
    version: p.version,
    currency: p.currency ?? input.currency,
    interval: p.interval ?? input.interval,
    features: [...p.features],
    components: p.components.map((c) => normalizeComponent(c, byCode)),
    limits: { ...p.limits } as Plan["limits"],
    count_limits: { ...p.count_limits },
    alert_thresholds: p.alert_thresholds ? p.alert_thresholds.map(normalizeThreshold) : catalogThresholds,
    gain_share: p.gain_share
      ? {
          min_percent: p.gain_share.min_percent,
          max_percent: p.gain_share.max_percent,
          default_percent: p.gain_share.default_percent ?? p.gain_share.min_percent,
        }
      : null,
    threshold_invoicing: p.threshold_invoicing,
    dunning: p.dunning ?? input.dunning,
  }));
  // "hard" without a quantity is stored explicitly as null (= the included quantity).
  for (const plan of plans) {
    for (const [code, limit] of Object.entries(plan.limits)) {
      if (limit.kind === "hard") plan.limits[code] = { kind: "hard", quantity: limit.quantity ?? null };
    }
  }

  return {
    code: input.code,
    name: input.name,
    description: input.description ?? null,
    currency: input.currency,
    default_plan: input.default_plan ?? input.plans[0].code,
    metrics,
    plans,
    promotions: input.promotions.map((p) => ({
      code: p.code,
      name: p.name,
      description: p.description ?? null,
      percent_off: p.percent_off ?? null,
      amount_off: p.amount_off ?? null,
      currency: p.currency ?? null,
      applies_to: p.applies_to,
      duration: p.duration,
      plans: p.plans ?? null,
      max_redemptions: p.max_redemptions ?? null,
      expires_at: p.expires_at ?? null,
    })),
    tax_rates: input.tax_rates.map((t) => ({ ...t })),
    kpis: input.kpis.map((k) => ({ ...k, description: k.description ?? null })),
  };
}
