import { describe, expect, it } from "vitest";
import { findPlan } from "../catalog";
import { testCatalog } from "../test-fixtures";
import { rateUsage } from "./rate-usage";
import { UsageError, type UsageTotals } from "./usage-totals";

const catalog = testCatalog();
const all = findPlan(catalog, "all");

function line(usage: UsageTotals, code: string, plan = all) {
  const found = rateUsage({ catalog, plan, usage }).find((l) => l.code === code);
  if (!found) throw new Error(`no line ${code}`);
  return found;
}

describe("base fee", () => {
  it("is always billed, quantity 1", () => {
    expect(line({}, "base_fee")).toMatchObject({ kind: "base_fee", quantity: "1", unit_amount: "100.00", amount: "100.00" });
  });
});

describe("metered: 0.01 per 1,000 tokens beyond 1,000,000 (exact)", () => {
  it.each([
    ["999999", "0", "0.00"], // under
    ["1000000", "0", "0.00"], // at
    ["1000001", "0.001", "0.00"], // just over: 1 token = 0.001 packages × 0.01 = 0.00001
    ["1000500", "0.5", "0.01"], // 0.5 × 0.01 = 0.005 — half-cent tie rounds up
    ["1000499", "0.499", "0.00"], // 0.00499
    ["1250000", "250", "2.50"], // 250,000 tokens = 250 packages
    ["11000000", "10000", "100.00"], // far over: 10,000 × 0.01
  ])("%s tokens → %s packages, %s", (used, quantity, amount) => {
    expect(line({ metrics: { tokens: used } }, "tokens")).toMatchObject({ kind: "metered_overage", quantity, unit_amount: "0.01", amount });
  });
});

describe("metered with rounding up: 0.50 per 100 calls beyond 1,000", () => {
  it.each([
    ["999", "0", "0.00"],
    ["1000", "0", "0.00"],
    ["1001", "1", "0.50"], // 1 call over → a whole package
    ["1100", "1", "0.50"],
    ["1101", "2", "1.00"],
    ["51000", "500", "250.00"], // 50,000 / 100 × 0.50
  ])("%s calls → %s packages, %s", (used, quantity, amount) => {
    expect(line({ metrics: { calls: used } }, "calls")).toMatchObject({ quantity, amount });
  });
});

describe("metered at 0.0015 each, nothing included: rounding of odd quantities", () => {
  it.each([
    ["0", "0.00"],
    ["1", "0.00"], // 0.0015
    ["3", "0.00"], // 0.0045
    ["5", "0.01"], // 0.0075
    ["333", "0.50"], // 0.4995
    ["334", "0.50"], // 0.501
    ["1001", "1.50"], // 1.5015
    ["999999", "1500.00"], // 1499.9985
    ["12345.678", "18.52"], // 18.518517
  ])("%s flags → %s", (used, amount) => {
    expect(line({ metrics: { flags: used } }, "flags").amount).toBe(amount);
  });
});

describe("credit pool: 1,000 credits included, 0.02 per credit beyond", () => {
  it.each([
    ["999", "0", "0.00"],
    ["1000", "0", "0.00"],
    ["1001", "1", "0.02"],
    ["1000.5", "0.5", "0.01"], // 0.5 × 0.02 = 0.01
    ["1000.25", "0.25", "0.01"], // 0.005 tie → 0.01
    ["51000", "50000", "1000.00"],
  ])("%s credits → %s beyond, %s", (used, quantity, amount) => {
    expect(line({ credits: { credits: used } }, "credits")).toMatchObject({ kind: "credit_overage", quantity, amount });
  });
});

describe("counted: 10 seats included, 7.00 per seat beyond", () => {
  it.each([
    ["9", "0", "0.00"],
    ["10", "0", "0.00"],
    ["11", "1", "7.00"],
    ["110", "100", "700.00"],
  ])("%s seats → %s, %s", (used, quantity, amount) => {
    expect(line({ metrics: { seats: used } }, "seats")).toMatchObject({ kind: "counted_overage", quantity, amount });
  });
});

describe("dimensional: every cell of vms (size × zone)", () => {
  it.each([
    ["s:eu", "3", "10.00", "30.00"], // 3 × 10
    ["s:us", "3", "11.00", "33.00"], // 3 × 11
    ["l:eu", "3", "20.50", "61.50"], // 3 × 20.50
    ["l:us", "3", "21.25", "63.75"], // 3 × 21.25
    ["l:us", "0.5", "21.25", "10.63"], // 10.625 → half-up
  ])("%s × %s at %s = %s", (cell, quantity, unit, amount) => {
    expect(line({ dimensional: { vms: { [cell]: quantity } } }, `vms:${cell}`)).toMatchObject({
      kind: "dimensional",
      quantity,
      unit_amount: unit,
      amount,
    });
  });

  it("makes no line for empty cells and orders lines by the catalog's cells", () => {
    const lines = rateUsage({ catalog, plan: all, usage: { dimensional: { vms: { "l:us": "1", "s:eu": "2", "s:us": "0" } } } });
    expect(lines.filter((l) => l.kind === "dimensional").map((l) => l.code)).toEqual(["vms:s:eu", "vms:l:us"]);
  });
});

describe("a plan's full set of lines", () => {
  it("includes a zero line for every usage component without usage", () => {
    const lines = rateUsage({ catalog, plan: all, usage: {} });
    expect(lines.map((l) => [l.kind, l.code, l.amount])).toEqual([
      ["base_fee", "base_fee", "100.00"],
      ["metered_overage", "tokens", "0.00"],
      ["metered_overage", "calls", "0.00"],
      ["metered_overage", "flags", "0.00"],
      ["credit_overage", "credits", "0.00"],
      ["counted_overage", "seats", "0.00"],
    ]);
  });

  it("usage_only scope leaves the base fee out", () => {
    expect(rateUsage({ catalog, plan: all, usage: {}, scope: "usage_only" }).some((l) => l.kind === "base_fee")).toBe(false);
  });
});

describe("zero-decimal currency (JPY): 1,200 base, 0.5 yen per token", () => {
  const yen = findPlan(catalog, "yen");
  it.each([
    ["1", "1"], // 0.5 → 1 (half-up)
    ["3", "2"], // 1.5 → 2
    ["4", "2"],
    ["2001", "1001"], // 1000.5 → 1001
  ])("%s tokens → ¥%s", (used, amount) => {
    const lines = rateUsage({ catalog, plan: yen, usage: { metrics: { tokens: used } } });
    expect(lines[0]).toMatchObject({ amount: "1200", unit_amount: "1200" });
    expect(lines[1]).toMatchObject({ amount, unit_amount: "0.5" });
  });
});

describe("thirds: 1.00 per 3 tokens", () => {
  const thirds = findPlan(catalog, "thirds");
  it.each([
    ["1", "0.33"], // 0.333…
    ["2", "0.67"], // 0.666…
    ["3", "1.00"],
    ["4", "1.33"],
    ["100", "33.33"],
  ])("%s tokens → %s", (used, amount) => {
    expect(rateUsage({ catalog, plan: thirds, usage: { metrics: { tokens: used } } })[0].amount).toBe(amount);
  });
});

describe("usage the plan does not price is refused", () => {
  it.each<[string, UsageTotals, string]>([
    ["unknown metric", { metrics: { bogus: "1" } }, 'unknown usage key "bogus"'],
    ["pool as metric", { metrics: { credits: "1" } }, 'unknown usage key "credits"'],
    ["metric not on plan", { metrics: { seats: "1" } }, 'unknown usage key "seats"'],
    ["unknown cell", { dimensional: { vms: { "m:eu": "1" } } }, 'unknown dimension "m:eu"'],
    ["negative", { metrics: { tokens: "-1" } }, "expected a non-negative decimal"],
    ["garbage", { metrics: { tokens: "lots" } }, "expected a non-negative decimal"],
  ])("%s", (_name, usage, message) => {
    const plan = usage.metrics?.seats ? findPlan(catalog, "yen") : all;
    expect(() => rateUsage({ catalog, plan, usage })).toThrow(UsageError);
    expect(() => rateUsage({ catalog, plan, usage })).toThrow(message);
  });
});
