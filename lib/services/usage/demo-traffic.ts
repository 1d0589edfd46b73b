/**
 * Realistic demo usage for a plan: the event types its components are fed by, with quantities of the
 * right order of magnitude and the properties its filters and breakdowns read (anomaly, vertical, site…).
 */
import type { Catalog, Plan } from "@/lib/domain/catalog/types";
import type { UsageEvent } from "@/lib/client/types";

type Generator = (rnd: () => number) => Omit<UsageEvent, "idempotency_key">;

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const between = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

const CREDIT_EVENTS: Record<string, Generator> = {
  LLM_token_usage: (r) => ({ event_type: "LLM_token_usage", quantity: String(between(r, 1, 40)), properties: { model: pick(r, ["gpt-large", "gpt-small"]) } }),
  vision_frame_batch: (r) => ({ event_type: "vision_frame_batch", quantity: String(between(r, 1, 6)), properties: { camera: `cam-${between(r, 1, 12)}` } }),
  optimizer_job: () => ({ event_type: "optimizer_job", quantity: "1" }),
  simulator_run: () => ({ event_type: "simulator_run", quantity: "1" }),
};

/** Relative frequency: cheap events often, expensive ones rarely. */
const WEIGHT: Record<string, number> = { LLM_token_usage: 70, vision_frame_batch: 25, optimizer_job: 4, simulator_run: 1 };

const METRIC_QUANTITY: Record<string, (r: () => number) => string> = {
  llm_tokens: (r) => String(between(r, 200, 8000)),
  agent_executions: () => "1",
  api_calls: (r) => String(between(r, 1, 20)),
  data_exports: () => "1",
  ai_requests: () => "1",
  anomalies: (r) => String(between(r, 1, 50)),
};

export function trafficGenerator(catalog: Catalog, plan: Plan): (rnd?: () => number) => Omit<UsageEvent, "idempotency_key"> {
  const gens: { weight: number; gen: Generator }[] = [];
  for (const c of plan.components) {
    if (c.kind === "credit_pool") {
      for (const rule of c.credit_rules) {
        const g =
          CREDIT_EVENTS[rule.event_type] ??
          ((_r: () => number) => ({ event_type: rule.event_type, quantity: "1" }));
        gens.push({ weight: WEIGHT[rule.event_type] ?? 5, gen: g });
      }
    }
    if (c.kind === "metered") {
      const metric = catalog.metrics.find((m) => m.code === c.metric);
      if (!metric) continue;
      const eventType = metric.event_types[0] ?? metric.code;
      const breakdown = metric.breakdowns[0];
      gens.push({
        weight: metric.code === "api_calls" ? 40 : 20,
        gen: (r) => {
          const properties: Record<string, string | number | boolean | null> = {};
          if (metric.filter) {
            // Mostly non-matching: e.g. ~8 % of detections are anomalies.
            for (const [k, v] of Object.entries(metric.filter)) properties[k] = r() < 0.08 ? v : typeof v === "boolean" ? !v : `not-${String(v)}`;
          }
          if (breakdown) properties[breakdown.property] = pick(r, breakdown.values ?? ["hs", "rest", "auto", "ret", "edu", "payroll"]);
          return { event_type: eventType, quantity: (METRIC_QUANTITY[metric.code] ?? (() => "1"))(r), properties };
        },
      });
    }
  }
  if (gens.length === 0) throw new Error(`plan ${plan.code} has no usage-fed components (counted metrics only: use snapshots)`);
  const total = gens.reduce((s, g) => s + g.weight, 0);
  return (rnd = Math.random) => {
    let x = rnd() * total;
    for (const g of gens) {
      x -= g.weight;
      if (x < 0) return g.gen(rnd);
    }
    return gens[gens.length - 1].gen(rnd);
  };
}

/** The catalog and plan a usage summary describes (plan code + the codes it prices). */
export function matchPlan(catalogs: Catalog[], summary: { plan: { code: string }; metrics: { metric: string }[] }): { catalog: Catalog; plan: Plan } | null {
  const codes = summary.metrics.map((m) => m.metric).sort().join(",");
  for (const catalog of catalogs) {
    for (const plan of catalog.plans) {
      if (plan.code !== summary.plan.code) continue;
      const priced = plan.components
        .flatMap((c) => (c.kind === "base_fee" ? [] : c.kind === "credit_pool" ? [c.code] : [c.metric]))
        .sort()
        .join(",");
      if (priced === codes) return { catalog, plan };
    }
  }
  return null;
}
