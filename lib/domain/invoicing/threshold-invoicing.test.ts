import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../catalogs/index";
import { findPlan } from "../catalog";
import { sumDecimals } from "../money";
import { testCatalog } from "../test-fixtures";
import { buildInvoicePreview } from "./build-invoice-preview";
import { accruedUsageCharges, previouslyBilledFrom, thresholdReached } from "./threshold-invoicing";

const catalog = testCatalog();
const all = findPlan(catalog, "all"); // threshold 50

describe("accruedUsageCharges / thresholdReached", () => {
  // flags 333 → 0.50; credits 3500 → 2,500 × 0.02 = 50.00 → accrued 50.50 (the base fee is not usage)
  const usage = { metrics: { flags: "333" }, credits: { credits: "3500" } };

  it("sums rounded usage lines only", () => {
    expect(accruedUsageCharges({ catalog, plan: all, usage })).toBe("50.50");
  });

  it.each([
    ["50.50", "0", true],
    ["50.50", "0.50", true], // exactly 50 pending: reached
    ["50.50", "0.51", false],
    ["49.99", "0", false],
  ])("accrued %s, already invoiced %s → %s", (accrued, alreadyInvoiced, reached) => {
    expect(thresholdReached({ plan: all, accrued, alreadyInvoiced })).toBe(reached);
  });

  it("plans without threshold invoicing never reach it", () => {
    expect(thresholdReached({ plan: findPlan(catalog, "yen"), accrued: "1000000" })).toBe(false);
  });

  it("anomaly-detection bills 500 of accrued overage early", () => {
    const c = loadCatalog("anomaly-detection");
    const growth = findPlan(c, "growth");
    // (2,277,778 − 2,000,000) × 0.0018 = 500.0004 → 500.00
    const accrued = accruedUsageCharges({ catalog: c, plan: growth, usage: { metrics: { anomalies: "2277778" } } });
    expect(accrued).toBe("500.00");
    expect(thresholdReached({ plan: growth, accrued })).toBe(true);
    expect(thresholdReached({ plan: growth, accrued: "499.99" })).toBe(false);
  });
});

describe("interim invoices + period-end invoice = one full invoice", () => {
  it("bills every usage line exactly once across the period", () => {
    const at = (flags: string, credits: string, vms: string) => ({
      metrics: { flags },
      credits: { credits },
      dimensional: { vms: { "l:us": vms } },
    });
    // interim 1 at mid-period usage, interim 2 later, final at period end
    const interim1 = buildInvoicePreview({ catalog, plan: all, periodIndex: 0, usage: at("333", "3500", "1"), scope: "usage_only" });
    const interim2 = buildInvoicePreview({
      catalog,
      plan: all,
      periodIndex: 0,
      usage: at("1001", "6000", "2"),
      scope: "usage_only",
      previouslyBilled: previouslyBilledFrom([interim1], "USD"),
    });
    const final = buildInvoicePreview({
      catalog,
      plan: all,
      periodIndex: 0,
      usage: at("5001", "6100", "2"),
      previouslyBilled: previouslyBilledFrom([interim1, interim2], "USD"),
    });
    const single = buildInvoicePreview({ catalog, plan: all, periodIndex: 0, usage: at("5001", "6100", "2") });

    // interim 1: flags 0.50 + credits 50.00 + vms 21.25 = 71.75
    expect(interim1.total).toBe("71.75");
    // interim 2: flags 1.50 − 0.50 = 1.00; credits 100.00 − 50.00 = 50.00; vms 42.50 − 21.25 = 21.25 → 72.25
    expect(interim2.total).toBe("72.25");
    const billed = sumDecimals([interim1.total, interim2.total, final.total]);
    expect(billed.toFixed(2)).toBe(single.total);
    // single: 100 + flags 7.50 (5001 × 0.0015 = 7.5015) + credits 102.00 + vms 42.50 = 252.00
    expect(single.total).toBe("252.00");
  });
});
