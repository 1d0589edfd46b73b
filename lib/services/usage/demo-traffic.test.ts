import { describe, expect, it } from "vitest";
import { loadAllCatalogs } from "@/catalogs";
import { resolveEvent } from "@/lib/domain/rating/resolve-event";
import { parseQuantity } from "@/lib/domain/usage/parse-quantity";
import { matchPlan, trafficGenerator } from "./demo-traffic";

function seeded(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe("demo traffic", () => {
  const plans = loadAllCatalogs().flatMap((catalog) => catalog.plans.map((plan) => ({ catalog, plan })));
  const usagePlans = plans.filter(({ plan }) => plan.components.some((c) => c.kind === "metered" || c.kind === "credit_pool"));

  it.each(usagePlans.map((p) => [`${p.catalog.code}/${p.plan.code}`, p] as const))("%s: every generated event is valid for the plan", (_n, { catalog, plan }) => {
    const gen = trafficGenerator(catalog, plan);
    const rnd = seeded(7);
    for (let i = 0; i < 300; i++) {
      const e = gen(rnd);
      const q = parseQuantity(e.quantity);
      expect(q.ok).toBe(true);
      const r = resolveEvent({ catalog, plan, eventType: e.event_type, quantity: q.ok ? q.value : "0", properties: e.properties });
      expect(r.ok, JSON.stringify(e)).toBe(true);
    }
  });

  it("reliability-ai traffic uses all four credit event types; anomaly traffic is mostly non-billable", () => {
    const rel = plans.find((p) => p.catalog.code === "reliability-ai" && p.plan.code === "PRO")!;
    const gen = trafficGenerator(rel.catalog, rel.plan);
    const rnd = seeded(1);
    const types = new Set(Array.from({ length: 2000 }, () => gen(rnd).event_type));
    expect([...types].sort()).toEqual(["LLM_token_usage", "optimizer_job", "simulator_run", "vision_frame_batch"]);
    const an = plans.find((p) => p.catalog.code === "anomaly-detection" && p.plan.code === "standard")!;
    const g2 = trafficGenerator(an.catalog, an.plan);
    const flags = Array.from({ length: 1000 }, () => g2(rnd).properties?.anomaly);
    const share = flags.filter((x) => x === true).length / flags.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.2);
  });

  it("finds the plan a usage summary describes", () => {
    const m = matchPlan(loadAllCatalogs(), { plan: { code: "standard" }, metrics: [{ metric: "anomalies" }] });
    expect(m?.catalog.code).toBe("anomaly-detection");
    expect(matchPlan(loadAllCatalogs(), { plan: { code: "nope" }, metrics: [] })).toBeNull();
  });
});
