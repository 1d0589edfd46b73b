import { describe, expect, it } from "vitest";
import { creditBalance } from "./credit-balance";
import { creditsForEvent } from "./credits-for-event";

describe("creditsForEvent", () => {
  it.each([
    ["1500", "1", "1500"], // LLM_token_usage: 1,500 × 1,000 tokens
    ["3", "5", "15"], // vision_frame_batch
    ["0.5", "1000", "500"], // half a simulator run
    ["1.5", "2.5", "3.75"],
  ])("%s units × %s credits = %s", (quantity, perUnit, credits) => {
    expect(creditsForEvent({ rule: { credits_per_unit: perUnit }, quantity })).toBe(credits);
  });
});

describe("creditBalance", () => {
  it.each([
    ["1000000", "0", { remaining: "1000000", overage: "0", percent: "0.00" }],
    ["1000000", "800000", { remaining: "200000", overage: "0", percent: "80.00" }],
    ["1000000", "1200000", { remaining: "0", overage: "200000", percent: "120.00" }],
    ["3", "1", { remaining: "2", overage: "0", percent: "33.33" }],
    ["0", "5", { remaining: "0", overage: "5", percent: null }],
  ])("included %s, used %s", (included, used, expected) => {
    expect(creditBalance({ included, used })).toMatchObject(expected);
  });

  it("unlimited has no remaining and no percent", () => {
    expect(creditBalance({ included: "unlimited", used: "7" })).toEqual({ included: "unlimited", used: "7", remaining: null, overage: "0", percent: null });
  });
});
