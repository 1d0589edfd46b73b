import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../catalogs/index";
import { findPlan, findPromotion, type Promotion } from "../catalog";
import { checkPromotionRedeemable, promotionApplies } from "./promotion-applies";

const anomaly = loadCatalog("anomaly-detection");
const launch50 = findPromotion(anomaly, "LAUNCH50");

describe("promotionApplies by period index", () => {
  it.each([
    [0, true],
    [1, true],
    [2, true],
    [3, false], // LAUNCH50 covers the first three periods only
    [12, false],
  ])("LAUNCH50 in period %i → %s", (periodIndex, applies) => {
    expect(promotionApplies({ promotion: launch50, periodIndex })).toBe(applies);
  });

  it.each<[Promotion["duration"], number, number, boolean]>([
    [{ kind: "once" }, 0, 0, true],
    [{ kind: "once" }, 0, 1, false],
    [{ kind: "once" }, 2, 2, true], // redeemed in period 2
    [{ kind: "once" }, 2, 1, false], // before redemption
    [{ kind: "repeating", periods: 1 }, 0, 1, false],
    [{ kind: "repeating", periods: 3 }, 4, 6, true],
    [{ kind: "repeating", periods: 3 }, 4, 7, false],
    [{ kind: "forever" }, 0, 999, true],
    [{ kind: "forever" }, 5, 4, false],
  ])("%j from %i in period %i → %s", (duration, startPeriodIndex, periodIndex, applies) => {
    expect(promotionApplies({ promotion: { duration }, periodIndex, startPeriodIndex })).toBe(applies);
  });
});

describe("checkPromotionRedeemable", () => {
  const standard = findPlan(anomaly, "standard");
  const now = new Date("2027-06-01T00:00:00Z");
  const base: Promotion = { ...launch50 };

  it.each<[string, Partial<Promotion>, number, string | null]>([
    ["valid", {}, 0, null],
    ["expired", { expires_at: "2027-05-31T23:59:59Z" }, 0, "promotion_expired"],
    ["expires exactly now", { expires_at: "2027-06-01T00:00:00Z" }, 0, "promotion_expired"],
    ["not yet expired", { expires_at: "2027-06-01T00:00:01Z" }, 0, null],
    ["limit reached", { max_redemptions: 100 }, 100, "promotion_exhausted"],
    ["limit not reached", { max_redemptions: 100 }, 99, null],
    ["other plans only", { plans: ["growth"] }, 0, "promotion_not_for_plan"],
    ["currency mismatch", { percent_off: null, amount_off: "10", currency: "CAD" }, 0, "promotion_currency_mismatch"],
  ])("%s", (_name, change, redemptions, code) => {
    const result = checkPromotionRedeemable({ promotion: { ...base, ...change }, plan: standard, now, redemptions });
    expect(result.ok ? null : result.error.code).toBe(code);
  });
});
