/**
 * Checks a schema cannot express: references between metrics, components, limits and promotions,
 * unique codes, complete dimensional price tables. Each problem carries the path of the bad field.
 */
import { dimensionCells } from "./dimensions";
import type { Catalog, Metric, Plan } from "./types";

export type CatalogIssue = { path: (string | number)[]; message: string };

function duplicates<T>(items: T[], key: (t: T) => string, path: (i: number) => (string | number)[], what: string) {
  const seen = new Set<string>();
  const issues: CatalogIssue[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) issues.push({ path: path(i), message: `duplicate ${what} "${k}"` });
    seen.add(k);
  });
  return issues;
}

function checkMetric(metric: Metric, i: number): CatalogIssue[] {
  const at = (...rest: (string | number)[]) => ["metrics", i, ...rest];
  const issues: CatalogIssue[] = [];
  if (metric.kind === "snapshot" && !metric.aggregation) {
    issues.push({ path: at("aggregation"), message: 'a snapshot metric needs aggregation "latest" or "max"' });
  }
  if (metric.kind !== "snapshot" && metric.aggregation) {
    issues.push({ path: at("aggregation"), message: "aggregation applies to snapshot metrics only" });
  }
  issues.push(...duplicates(metric.dimensions, (d) => d.key, (j) => at("dimensions", j, "key"), "dimension"));
  metric.dimensions.forEach((d, j) =>
    issues.push(...duplicates(d.values, (v) => v, (k) => at("dimensions", j, "values", k), "dimension value")),
  );
  return issues;
}

function checkPlan(plan: Plan, p: number, catalog: Catalog, metrics: Map<string, Metric>): CatalogIssue[] {
  const at = (...rest: (string | number)[]) => ["plans", p, ...rest];
  const issues: CatalogIssue[] = [];
  const codes = new Set<string>();
  const meteredCodes = new Set<string>(); // metric and pool codes usable in limits and alerts
  const includedOf = new Map<string, string>();
  const eventTypes = new Set<string>();
  let baseFees = 0;

  plan.components.forEach((c, j) => {
    const cat = (...rest: (string | number)[]) => at("components", j, ...rest);
    if (codes.has(c.code)) issues.push({ path: cat("code"), message: `duplicate component code "${c.code}"` });
    codes.add(c.code);
    if (c.kind === "base_fee") {
      baseFees++;
      if (baseFees > 1) issues.push({ path: cat("kind"), message: "a plan has at most one base_fee" });
      return;
    }
    if (c.kind === "credit_pool") {
      if (metrics.has(c.code)) issues.push({ path: cat("code"), message: `credit pool code "${c.code}" is also a metric code` });
      meteredCodes.add(c.code);
      includedOf.set(c.code, c.included);
      c.credit_rules.forEach((r, k) => {
        if (eventTypes.has(r.event_type) || metrics.has(r.event_type)) {
          issues.push({ path: cat("credit_rules", k, "event_type"), message: `event type "${r.event_type}" already has a meaning in this plan` });
        }
        eventTypes.add(r.event_type);
      });
      return;
    }
    const metric = metrics.get(c.metric);
    if (!metric) {
      issues.push({ path: cat("metric"), message: `unknown metric "${c.metric}" (known: ${[...metrics.keys()].join(", ") || "none"})` });
      return;
    }
    if (plan.components.some((o, k) => k < j && o.kind !== "base_fee" && o.kind !== "credit_pool" && o.metric === c.metric)) {
      issues.push({ path: cat("metric"), message: `metric "${c.metric}" is priced twice in this plan` });
    }
    meteredCodes.add(c.metric);
    if (c.kind === "dimensional") {
      if (metric.dimensions.length === 0) {
        issues.push({ path: cat("metric"), message: `metric "${c.metric}" has no dimensions` });
        return;
      }
      const cells = dimensionCells(metric);
      for (const cell of cells) {
        if (!(cell in c.prices)) issues.push({ path: cat("prices"), message: `missing price for cell "${cell}"` });
      }
      for (const key of Object.keys(c.prices)) {
        if (!cells.includes(key)) {
          issues.push({ path: cat("prices", key), message: `unknown cell "${key}" (expected ${metric.dimensions.map((d) => d.key).join(":")})` });
        }
      }
      return;
    }
    includedOf.set(c.metric, c.included);
    if (metric.dimensions.length > 0) {
      issues.push({ path: cat("kind"), message: `metric "${c.metric}" has dimensions; price it with a dimensional component` });
    }
    if (c.kind === "metered" && metric.kind === "snapshot") {
      issues.push({ path: cat("kind"), message: `metric "${c.metric}" is a snapshot metric; use a counted component` });
    }
    if (c.kind === "counted" && metric.kind !== "snapshot") {
      issues.push({ path: cat("kind"), message: `metric "${c.metric}" is not a snapshot metric; use a metered component` });
    }
  });

  for (const [code, limit] of Object.entries(plan.limits)) {
    if (!meteredCodes.has(code)) {
      issues.push({ path: at("limits", code), message: `limit on "${code}", which no component of this plan prices` });
      continue;
    }
    if (limit.kind !== "none" && limit.kind !== "soft" && !(limit.kind === "hard" && limit.quantity !== null)) {
      if (includedOf.get(code) === "unlimited" || includedOf.get(code) === undefined) {
        issues.push({ path: at("limits", code), message: `a ${limit.kind} limit needs an included quantity (or an explicit quantity)` });
      }
    }
  }
  plan.alert_thresholds.forEach((t, k) =>
    (t.metrics ?? []).forEach((m, n) => {
      const known = catalog.metrics.some((x) => x.code === m) ||
        catalog.plans.some((pl) => pl.components.some((c) => c.kind === "credit_pool" && c.code === m));
      if (!known) issues.push({ path: at("alert_thresholds", k, "metrics", n), message: `unknown metric or credit pool "${m}"` });
    }),
  );
  if (plan.gain_share && plan.gain_share.min_percent > plan.gain_share.max_percent) {
    issues.push({ path: at("gain_share", "min_percent"), message: "min_percent exceeds max_percent" });
  }
  if (plan.gain_share) {
    const { min_percent, max_percent, default_percent } = plan.gain_share;
    if (default_percent < min_percent || default_percent > max_percent) {
      issues.push({ path: at("gain_share", "default_percent"), message: "default_percent lies outside min_percent..max_percent" });
    }
  }
  const retry = plan.dunning.retry_days;
  if (retry.some((d, k) => k > 0 && d <= retry[k - 1])) {
    issues.push({ path: at("dunning", "retry_days"), message: "retry_days must be strictly increasing" });
  }
  if (plan.dunning.suspend_after_days < plan.dunning.grace_days) {
    issues.push({ path: at("dunning", "suspend_after_days"), message: "suspend_after_days is shorter than grace_days" });
  }
  return issues;
}

export function crossCheckCatalog(catalog: Catalog): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  issues.push(...duplicates(catalog.metrics, (m) => m.code, (i) => ["metrics", i, "code"], "metric code"));
  issues.push(...duplicates(catalog.plans, (p) => p.code, (i) => ["plans", i, "code"], "plan code"));
  issues.push(...duplicates(catalog.promotions, (p) => p.code, (i) => ["promotions", i, "code"], "promotion code"));
  issues.push(...duplicates(catalog.tax_rates, (t) => t.code, (i) => ["tax_rates", i, "code"], "tax rate code"));
  issues.push(...duplicates(catalog.kpis, (k) => k.code, (i) => ["kpis", i, "code"], "KPI code"));
  catalog.metrics.forEach((m, i) => issues.push(...checkMetric(m, i)));
  catalog.plans.forEach((p, i) => issues.push(...checkPlan(p, i, catalog, metrics)));
  if (!catalog.plans.some((p) => p.code === catalog.default_plan)) {
    issues.push({ path: ["default_plan"], message: `unknown plan "${catalog.default_plan}"` });
  }
  catalog.promotions.forEach((promo, i) => {
    const at = (...rest: (string | number)[]) => ["promotions", i, ...rest];
    if ((promo.percent_off === null) === (promo.amount_off === null)) {
      issues.push({ path: at("percent_off"), message: "exactly one of percent_off and amount_off is required" });
    }
    if (promo.currency !== null && promo.amount_off === null) {
      issues.push({ path: at("currency"), message: "currency applies to amount_off only" });
    }
    (promo.plans ?? []).forEach((code, k) => {
      if (!catalog.plans.some((p) => p.code === code)) issues.push({ path: at("plans", k), message: `unknown plan "${code}"` });
    });
  });
  return issues;
}
