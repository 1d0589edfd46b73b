import { describe, expect, it } from "vitest";
import type { Included, Limit } from "../catalog";
import { evaluateCountLimit, evaluateLimit } from "./evaluate-limit";

describe("evaluateLimit", () => {
  it.each<[string, Limit, Included, string, string, boolean, string, string | null]>([
    // name, limit, included, usedBefore, increment → admitted, status, cap
    ["none, far beyond", { kind: "none" }, "100", "1000", "1", true, "over_included", null],
    ["soft, reaching included", { kind: "soft" }, "100", "99", "1", true, "within", null],
    ["soft, beyond: accepted and flagged", { kind: "soft" }, "100", "100", "1", true, "over_included", null],
    // anomaly-detection standard: 250,000 included, soft limit at 120 % = 300,000
    ["soft_limit 120 %, up to the cap", { kind: "soft_limit", percent: 120 }, "250000", "299999", "1", true, "over_included", "300000"],
    ["soft_limit 120 %, one past the cap", { kind: "soft_limit", percent: 120 }, "250000", "300000", "1", false, "rejected", "300000"],
    ["soft_limit 120 %, a batch crossing the cap is refused whole", { kind: "soft_limit", percent: 120 }, "250000", "299999", "2", false, "rejected", "300000"],
    ["soft_limit 120 %, still within included", { kind: "soft_limit", percent: 120 }, "250000", "10", "5", true, "within", "300000"],
    // anomaly-detection developer: hard at the included 10,000
    ["hard at included, reaching it", { kind: "hard", quantity: null }, "10000", "9999", "1", true, "within", "10000"],
    ["hard at included, past it", { kind: "hard", quantity: null }, "10000", "10000", "1", false, "rejected", "10000"],
    ["hard with its own quantity", { kind: "hard", quantity: "5000" }, "1000", "4999", "1", true, "over_included", "5000"],
    ["hard with its own quantity, past it", { kind: "hard", quantity: "5000" }, "1000", "4999", "2", false, "rejected", "5000"],
    ["soft_limit on unlimited", { kind: "soft_limit", percent: 120 }, "unlimited", "1e9", "1", true, "within", null],
    ["decimal increments", { kind: "hard", quantity: null }, "1", "0.4", "0.6", true, "within", "1"],
    ["decimal increments past", { kind: "hard", quantity: null }, "1", "0.4", "0.61", false, "rejected", "1"],
  ])("%s", (_name, limit, included, usedBefore, increment, admitted, status, cap) => {
    const decision = evaluateLimit({ limit, included, usedBefore, increment });
    expect(decision).toMatchObject({ admitted, status, cap, kind: limit.kind });
  });

  it("used_after is unchanged when rejected", () => {
    expect(evaluateLimit({ limit: { kind: "hard", quantity: null }, included: "10", usedBefore: "10", increment: "1" }).used_after).toBe("10");
    expect(evaluateLimit({ limit: { kind: "soft" }, included: "10", usedBefore: "10", increment: "1" }).used_after).toBe("11");
  });
});

describe("evaluateCountLimit (sites per tenant)", () => {
  it.each([
    [1, 0, 1, true], // STARTER: the first site
    [1, 1, 1, false], // a second site
    [3, 2, 1, true],
    [3, 2, 2, false],
    [null, 100, 1, true],
  ])("max %s, current %i, adding %i → %s", (max, current, adding, admitted) => {
    expect(evaluateCountLimit({ max, current, adding }).admitted).toBe(admitted);
  });
});
