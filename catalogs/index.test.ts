/** The shipped catalogs load, validate, and carry exactly the codes of SPEC §4. */
import { describe, expect, it } from "vitest";
import { findPlan, findPromotion } from "../lib/domain/catalog";
import { catalogCodes, DEFAULT_CATALOG, loadAllCatalogs, loadCatalog } from "./index";

describe("the five catalogs load", () => {
  it("with exactly the codes of SPEC §4", () => {
    expect([...catalogCodes].sort()).toEqual(["ai-platform", "anomaly-detection", "business-os", "compute-licences", "reliability-ai"]);
    expect(DEFAULT_CATALOG).toBe("reliability-ai");
    const plans = Object.fromEntries(loadAllCatalogs().map((c) => [c.code, c.plans.map((p) => p.code)]));
    expect(plans).toEqual({
      "reliability-ai": ["STARTER", "PRO", "ENTERPRISE"],
      "ai-platform": ["free", "standard", "enterprise"],
      "business-os": ["basic", "professional", "enterprise"],
      "anomaly-detection": ["developer", "standard", "growth"],
      "compute-licences": ["platform"],
    });
    const metrics = Object.fromEntries(loadAllCatalogs().map((c) => [c.code, c.metrics.map((m) => m.code)]));
    expect(metrics).toEqual({
      "reliability-ai": ["assets"],
      "ai-platform": ["llm_tokens", "agent_executions", "api_calls", "storage_gb", "user_seats"],
      "business-os": ["api_calls", "data_exports", "ai_requests"],
      "anomaly-detection": ["anomalies"],
      "compute-licences": ["licences", "clusters", "users", "storage_gb"],
    });
  });

  it("loadCatalog returns independent copies", () => {
    const a = loadCatalog("reliability-ai");
    a.plans[0].code = "CHANGED";
    expect(loadCatalog("reliability-ai").plans[0].code).toBe("STARTER");
  });

  it("reliability-ai: plan display names, sites, gain-share, alerts, KPIs", () => {
    const c = loadCatalog("reliability-ai");
    expect(c.currency).toBe("CAD");
    expect(c.plans.map((p) => [p.code, p.display_name, p.count_limits.sites, p.gain_share?.min_percent ?? null, p.gain_share?.max_percent ?? null])).toEqual([
      ["STARTER", "Pilot", 1, null, null],
      ["PRO", "Scale", 3, null, null],
      ["ENTERPRISE", "Autonomous", 8, 10, 20],
    ]);
    expect(c.plans.every((p) => p.features.length > 0)).toBe(true);
    expect(c.plans[0].alert_thresholds.map((t) => t.code)).toEqual(["LOW_CREDITS", "OVERAGE"]);
    expect(c.kpis.map((k) => [k.code, k.direction])).toEqual([
      ["availability", "higher"],
      ["mtbf", "higher"],
      ["mttr", "lower"],
      ["spare_parts_inventory_value", "lower"],
      ["overtime_hours", "lower"],
    ]);
    expect(c.metrics[0]).toMatchObject({ kind: "snapshot", aggregation: "latest", breakdowns: [{ property: "site" }] });
  });

  it("anomaly-detection: limits, threshold invoicing, alerts, LAUNCH50", () => {
    const c = loadCatalog("anomaly-detection");
    expect(findPlan(c, "developer").limits.anomalies).toEqual({ kind: "hard", quantity: null });
    expect(findPlan(c, "standard").limits.anomalies).toEqual({ kind: "soft_limit", percent: 120 });
    expect(findPlan(c, "growth").threshold_invoicing).toEqual({ amount: "500" });
    expect(findPlan(c, "standard").alert_thresholds.map((t) => t.percent)).toEqual([70, 90, 100]);
    expect(findPromotion(c, "LAUNCH50")).toMatchObject({ percent_off: "50", applies_to: "base_fee", duration: { kind: "repeating", periods: 3 } });
    expect(c.metrics[0]).toMatchObject({ event_types: ["detection"], filter: { anomaly: true } });
  });

  it("compute-licences bills every 30 days; ai-platform limits", () => {
    expect(findPlan(loadCatalog("compute-licences"), "platform").interval).toEqual({ unit: "day", count: 30 });
    const ai = loadCatalog("ai-platform");
    expect(findPlan(ai, "free").limits).toMatchObject({ llm_tokens: { kind: "soft" }, storage_gb: { kind: "hard" }, user_seats: { kind: "hard" } });
    expect(ai.metrics.filter((m) => m.kind === "snapshot").map((m) => [m.code, m.aggregation])).toEqual([
      ["storage_gb", "max"],
      ["user_seats", "max"],
    ]);
  });
});
