import { describe, expect, it } from "vitest";
import { CatalogError, parseCatalog } from "../catalog";
import { testCatalog, testInput } from "../test-fixtures";

function errorOf(input: unknown): CatalogError {
  try {
    parseCatalog(input);
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error("expected a CatalogError");
}

describe("parseCatalog resolves defaults", () => {
  const catalog = testCatalog();
  const plan = catalog.plans[0];

  it("inherits currency, interval and thresholds from the catalog", () => {
    expect(plan.currency).toBe("USD");
    expect(plan.interval).toEqual({ unit: "month", count: 1 });
    expect(plan.alert_thresholds.map((t) => [t.percent, t.code])).toEqual([
      [80, "USAGE_80"],
      [100, "USAGE_100"],
      [120, "USAGE_120"],
    ]);
    expect(catalog.plans[1].currency).toBe("JPY");
  });

  it("fills component codes and names, keeps decimals as written", () => {
    expect(plan.components.map((c) => c.code)).toEqual(["base_fee", "tokens", "calls", "flags", "credits", "seats", "vms"]);
    expect(plan.components[0]).toMatchObject({ kind: "base_fee", amount: "100", name: "Base fee" });
    expect(plan.components[1]).toMatchObject({ per: "1000", unit_price: "0.01", rounding: "exact", name: "Tokens" });
    expect(plan.limits.seats).toEqual({ kind: "hard", quantity: null });
    expect(plan.gain_share).toEqual({ min_percent: 10, max_percent: 20, default_percent: 10 });
    expect(plan.dunning).toEqual({ grace_days: 7, retry_days: [1, 3, 7], suspend_after_days: 14 });
  });

  it("is JSON-serializable and re-parses to the same catalog shape", () => {
    const json = JSON.parse(JSON.stringify(catalog));
    expect(json).toEqual(catalog);
  });
});

describe("parseCatalog names the path of the bad field", () => {
  const cases: [string, (c: Record<string, any>) => void, string][] = [
    ["per of zero", (c) => (c.plans[0].components[2].per = "0"), "plans[0].components[2].per: expected a positive decimal"],
    ["negative price", (c) => (c.plans[0].components[1].unit_price = "-1"), "plans[0].components[1].unit_price: expected a non-negative decimal"],
    ["float price", (c) => (c.plans[0].components[1].unit_price = 0.01), 'plans[0].components[1].unit_price: expected a non-negative decimal; write fractions as strings, e.g. "0.0020"'],
    ["text price", (c) => (c.plans[0].components[0].amount = "ten"), "plans[0].components[0].amount: expected a non-negative decimal"],
    ["unknown kind", (c) => (c.plans[0].components[3].kind = "tiered"), "plans[0].components[3].kind: Invalid discriminator value"],
    ["misspelt key", (c) => (c.plans[0].components[1].unitprice = "1"), "plans[0].components[1].unitprice: unrecognized key"],
    ["bad currency", (c) => (c.plans[1].currency = "yen"), "plans[1].currency: expected an ISO 4217 currency code"],
    ["missing plan code", (c) => delete c.plans[2].code, "plans[2].code: required"],
    ["bad rounding", (c) => (c.plans[0].components[2].rounding = "down"), "plans[0].components[2].rounding: Invalid option"],
    ["soft_limit below 100", (c) => (c.plans[0].limits.calls.percent = 90), "plans[0].limits.calls.percent: expected a percentage of at least 100"],
    ["percent_off over 100", (c) => (c.promotions[0].percent_off = 150), "promotions[0].percent_off: expected a percentage between 0 and 100"],
    ["bad expiry", (c) => (c.promotions[0].expires_at = "soon"), "promotions[0].expires_at: expected an ISO 8601 date-time"],
    ["bad interval", (c) => (c.plans[0].interval = { unit: "day", count: 0 }), "plans[0].interval.count"],
  ];
  it.each(cases)("%s", (_name, mutate, expected) => {
    const input = testInput();
    mutate(input);
    expect(errorOf(input).message).toContain(expected);
  });

  it("reports every problem, not just the first", () => {
    const input = testInput();
    input.plans[0].components[2].per = "0";
    input.plans[1].currency = "yen";
    const error = errorOf(input);
    expect(error.issues.map((i) => i.path)).toEqual(["plans[0].components[2].per", "plans[1].currency"]);
    expect(error.code).toBe("invalid_catalog");
  });
});

describe("parseCatalog cross-checks", () => {
  const cases: [string, (c: Record<string, any>) => void, string][] = [
    ["unknown metric", (c) => (c.plans[0].components[1].metric = "tokenz"), 'plans[0].components[1].metric: unknown metric "tokenz"'],
    ["duplicate metric code", (c) => (c.metrics[1].code = "tokens"), 'metrics[1].code: duplicate metric code "tokens"'],
    ["duplicate plan code", (c) => (c.plans[1].code = "all"), 'plans[1].code: duplicate plan code "all"'],
    ["duplicate promotion", (c) => (c.promotions[1].code = "HALF3"), 'promotions[1].code: duplicate promotion code "HALF3"'],
    ["duplicate component code", (c) => (c.plans[0].components[2].code = "tokens"), 'plans[0].components[2].code: duplicate component code "tokens"'],
    ["metric priced twice", (c) => c.plans[2].components.push({ kind: "metered", metric: "tokens", code: "t2", unit_price: 1 }), 'plans[2].components[1].metric: metric "tokens" is priced twice'],
    ["missing dimension cell", (c) => delete c.plans[0].components[6].prices["l:us"], 'plans[0].components[6].prices: missing price for cell "l:us"'],
    ["unknown dimension cell", (c) => (c.plans[0].components[6].prices["m:eu"] = 1), 'plans[0].components[6].prices["m:eu"]: unknown cell "m:eu"'],
    ["dimensional on plain metric", (c) => (c.plans[0].components[6].metric = "seats"), "metric \"seats\" has no dimensions"],
    ["metered on snapshot", (c) => (c.plans[0].components[5].kind = "metered"), 'plans[0].components[5].kind: metric "seats" is a snapshot metric; use a counted component'],
    ["counted on sum metric", (c) => (c.plans[2].components[0].kind = "counted"), 'plans[2].components[0].kind: metric "tokens" is not a snapshot metric'],
    ["snapshot without aggregation", (c) => delete c.metrics[3].aggregation, "metrics[3].aggregation: a snapshot metric needs aggregation"],
    ["limit on unpriced code", (c) => (c.plans[1].limits = { seats: { kind: "soft" } }), 'plans[1].limits.seats: limit on "seats"'],
    ["two base fees", (c) => c.plans[1].components.push({ kind: "base_fee", code: "base2", amount: 1 }), "plans[1].components[2].kind: a plan has at most one base_fee"],
    ["gain-share range inverted", (c) => (c.plans[0].gain_share = { min_percent: 30, max_percent: 20 }), "plans[0].gain_share.min_percent: min_percent exceeds max_percent"],
    ["promotion with both offs", (c) => (c.promotions[0].amount_off = "5"), "promotions[0].percent_off: exactly one of percent_off and amount_off"],
    ["promotion for unknown plan", (c) => (c.promotions[3].plans = ["nope"]), 'promotions[3].plans[0]: unknown plan "nope"'],
    ["credit event type clashes with a metric", (c) => (c.plans[0].components[4].credit_rules[0].event_type = "tokens"), 'plans[0].components[4].credit_rules[0].event_type: event type "tokens" already has a meaning'],
    ["retry days not increasing", (c) => (c.plans[0].dunning = { grace_days: 7, retry_days: [3, 1], suspend_after_days: 14 }), "plans[0].dunning.retry_days: retry_days must be strictly increasing"],
    ["unknown default plan", (c) => (c.default_plan = "gold"), 'default_plan: unknown plan "gold"'],
  ];
  it.each(cases)("%s", (_name, mutate, expected) => {
    const input = testInput();
    mutate(input);
    expect(errorOf(input).message).toContain(expected);
  });
});
