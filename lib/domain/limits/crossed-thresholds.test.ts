import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../catalogs/index";
import { findPlan } from "../catalog";
import { crossedThresholds, thresholdsFor } from "./crossed-thresholds";

const t = [{ percent: 80 }, { percent: 100 }, { percent: 120 }];

describe("crossedThresholds (included 1,000: levels 800, 1,000, 1,200)", () => {
  it.each([
    ["0", "799", []],
    ["0", "800", [80]], // reaching a level crosses it
    ["799", "1200", [80, 100, 120]], // one big event crosses several
    ["800", "900", []], // 80 was already crossed before
    ["1000", "1000", []],
    ["999.5", "1000", [100]],
    ["1200", "5000", []],
  ])("%s → %s crosses %j", (before, after, crossed) => {
    expect(crossedThresholds({ thresholds: t, included: "1000", before, after }).map((x) => x.percent)).toEqual(crossed);
  });

  it("nothing to cross when included is unlimited or zero", () => {
    expect(crossedThresholds({ thresholds: t, included: "unlimited", before: "0", after: "1e12" })).toEqual([]);
    expect(crossedThresholds({ thresholds: t, included: "0", before: "0", after: "5" })).toEqual([]);
  });
});

describe("thresholdsFor", () => {
  it("reliability-ai: LOW_CREDITS at 80 % of credits, OVERAGE at 100 % of credits and assets", () => {
    const pro = findPlan(loadCatalog("reliability-ai"), "PRO");
    expect(thresholdsFor({ plan: pro, code: "credits" }).map((x) => [x.code, x.percent])).toEqual([
      ["LOW_CREDITS", 80],
      ["OVERAGE", 100],
    ]);
    expect(thresholdsFor({ plan: pro, code: "assets" }).map((x) => x.code)).toEqual(["OVERAGE"]);
    // 1,000,000 included: 790,000 → 810,000 fires LOW_CREDITS only
    const fired = crossedThresholds({ thresholds: thresholdsFor({ plan: pro, code: "credits" }), included: "1000000", before: "790000", after: "810000" });
    expect(fired.map((x) => x.code)).toEqual(["LOW_CREDITS"]);
  });

  it("anomaly-detection alerts at 70/90/100 %", () => {
    const standard = findPlan(loadCatalog("anomaly-detection"), "standard");
    expect(thresholdsFor({ plan: standard, code: "anomalies" }).map((x) => x.percent)).toEqual([70, 90, 100]);
  });
});
