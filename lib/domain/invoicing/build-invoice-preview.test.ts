import { describe, expect, it } from "vitest";
import { findPlan, findPromotion, findTaxRate } from "../catalog";
import { sumDecimals } from "../money";
import { testCatalog } from "../test-fixtures";
import { buildInvoicePreview } from "./build-invoice-preview";
import { InvoiceLineError } from "./extra-lines";
import { PromotionError } from "./promotion-applies";

const catalog = testCatalog();
const all = findPlan(catalog, "all");
const promo = (code: string) => findPromotion(catalog, code);
const tax = (code: string) => findTaxRate(catalog, code);

function preview(params: Partial<Parameters<typeof buildInvoicePreview>[0]> = {}) {
  return buildInvoicePreview({ catalog, plan: all, periodIndex: 0, usage: {}, ...params });
}

function summary(p: ReturnType<typeof preview>) {
  return { subtotal: p.subtotal, discount: p.discount, tax: p.tax, total: p.total };
}

describe("promotions", () => {
  it.each([
    // code, period, discount line, totals — base fee 100.00, no usage
    ["HALF3", 0, "-50.00", { subtotal: "100.00", discount: "50.00", tax: "0.00", total: "50.00" }], // 50 % of 100
    ["HALF3", 2, "-50.00", { subtotal: "100.00", discount: "50.00", tax: "0.00", total: "50.00" }], // third period
    ["HALF3", 3, null, { subtotal: "100.00", discount: "0.00", tax: "0.00", total: "100.00" }], // over
    ["TENOFF", 0, "-10.00", { subtotal: "100.00", discount: "10.00", tax: "0.00", total: "90.00" }],
    ["TENOFF", 1, null, { subtotal: "100.00", discount: "0.00", tax: "0.00", total: "100.00" }], // once
    ["THIRD", 7, "-33.33", { subtotal: "100.00", discount: "33.33", tax: "0.00", total: "66.67" }], // 33.3333 % → 33.3333 → 33.33
  ])("%s in period %i", (code, periodIndex, amount, totals) => {
    const p = preview({ promotion: promo(code), periodIndex });
    const line = p.lines.find((l) => l.kind === "promotion");
    expect(line?.amount ?? null).toBe(amount);
    expect(summary(p)).toEqual(totals);
  });

  it("an invoice-wide percentage applies to usage and extra lines too", () => {
    // 100 base + 1.50 flags (1001 × 0.0015 = 1.5015) + 1250.00 gain-share − 30.00 adjustment = 1321.50
    // 33.3333 % of 1321.50 = 440.4995… → 440.50
    const p = preview({
      promotion: promo("THIRD"),
      usage: { metrics: { flags: "1001" } },
      extraLines: [
        { kind: "gain_share", code: "gain_share", description: "Gain-share fee", amount: "1250.00" },
        { kind: "adjustment", code: "adj-1", description: "Correction of March", amount: "-30.00" },
      ],
    });
    expect(summary(p)).toEqual({ subtotal: "1321.50", discount: "440.50", tax: "0.00", total: "881.00" });
  });

  it("an amount off never exceeds what it applies to", () => {
    // thirds plan has no base fee: 3 tokens = 1.00; TENOFF takes 1.00, not 10.00
    const thirds = findPlan(catalog, "thirds");
    const p = buildInvoicePreview({ catalog, plan: thirds, periodIndex: 0, usage: { metrics: { tokens: "3" } }, promotion: promo("TENOFF") });
    expect(summary(p)).toEqual({ subtotal: "1.00", discount: "1.00", tax: "0.00", total: "0.00" });
  });

  it("a base-fee promotion on a plan without base fee makes no line", () => {
    const thirds = findPlan(catalog, "thirds");
    const p = buildInvoicePreview({ catalog, plan: thirds, periodIndex: 0, usage: { metrics: { tokens: "3" } }, promotion: promo("HALF3") });
    expect(p.lines.some((l) => l.kind === "promotion")).toBe(false);
  });

  it("counts periods from the redemption", () => {
    const p = preview({ promotion: promo("HALF3"), periodIndex: 5, promotionStartPeriodIndex: 4 });
    expect(p.discount).toBe("50.00");
    expect(preview({ promotion: promo("HALF3"), periodIndex: 7, promotionStartPeriodIndex: 4 }).discount).toBe("0.00");
  });

  it("a promotion restricted to other plans is refused", () => {
    const yen = findPlan(catalog, "yen");
    expect(() => buildInvoicePreview({ catalog, plan: yen, periodIndex: 0, usage: {}, promotion: promo("ALLONLY") })).toThrow(PromotionError);
  });
});

describe("tax", () => {
  it.each([
    // tax, promotion, usage, expected totals
    ["T13", undefined, {}, { subtotal: "100.00", discount: "0.00", tax: "13.00", total: "113.00" }],
    // taxable is after the discount: (100 − 50) × 13 % = 6.50
    ["T13", "HALF3", {}, { subtotal: "100.00", discount: "50.00", tax: "6.50", total: "56.50" }],
    // 100 + 0.50 flags (333 × 0.0015 = 0.4995) = 100.50 × 7.25 % = 7.28625 → 7.29
    ["T7", undefined, { metrics: { flags: "333" } }, { subtotal: "100.50", discount: "0.00", tax: "7.29", total: "107.79" }],
  ])("%s with %s", (rate, code, usage, totals) => {
    const p = preview({ taxRate: tax(rate), promotion: code ? promo(code) : undefined, usage });
    expect(summary(p)).toEqual(totals);
    const line = p.lines.at(-1)!;
    expect(line.kind).toBe("tax");
    expect(line.code).toBe(rate);
  });

  it("the tax line carries the taxable amount and the rate as a fraction", () => {
    const line = preview({ taxRate: tax("T7") }).lines.at(-1)!;
    expect(line).toMatchObject({ quantity: "100.00", unit_amount: "0.0725", amount: "7.25" });
  });

  it.each([
    // thirds plan (1.00 per 3 tokens): tokens, rate, expected totals
    ["1.5", "T13", { subtotal: "0.50", discount: "0.00", tax: "0.07", total: "0.57" }], // 0.50 × 13 % = 0.065 — tie rounds up
    ["0.6", "T7", { subtotal: "0.20", discount: "0.00", tax: "0.01", total: "0.21" }], // 0.20 × 7.25 % = 0.0145 → 0.01
  ])("small taxes round half-up: %s tokens with %s", (tokens, rate, totals) => {
    const thirds = findPlan(catalog, "thirds");
    const p = buildInvoicePreview({ catalog, plan: thirds, periodIndex: 0, usage: { metrics: { tokens } }, taxRate: tax(rate) });
    expect(summary(p)).toEqual(totals);
  });
});

describe("totals are sums of rounded lines", () => {
  it("three lines of 0.005 each bill 0.03, not round(0.015) = 0.02", () => {
    // each of tokens (1,000,500 → 0.005), credits (1000.25 → 0.005) rounds to 0.01 on its own line
    const p = preview({ usage: { metrics: { tokens: "1000500" }, credits: { credits: "1000.25" } } });
    expect(p.lines.filter((l) => l.code === "tokens" || l.code === "credits").map((l) => l.amount)).toEqual(["0.01", "0.01"]);
    expect(p.subtotal).toBe("100.02");
    expect(sumDecimals(p.lines.map((l) => l.amount)).toFixed(2)).toBe(p.total);
  });
});

describe("threshold invoicing: previously billed", () => {
  it("the period-end invoice bills only what interim invoices did not", () => {
    // flags 1001 → 1.50; 1.00 was billed on an interim invoice → 0.50 left
    const p = preview({ usage: { metrics: { flags: "1001" } }, previouslyBilled: { flags: "1.00" } });
    const line = p.lines.find((l) => l.code === "flags")!;
    expect(line).toMatchObject({ amount: "0.50", previously_billed: "1.00" });
    expect(p.subtotal).toBe("100.50");
  });

  it("a billed line that disappeared is credited back", () => {
    const p = preview({ previouslyBilled: { "vms:l:us": "21.25" } });
    expect(p.lines.at(-1)).toMatchObject({ kind: "adjustment", code: "vms:l:us", amount: "-21.25" });
    expect(p.subtotal).toBe("78.75");
  });
});

describe("extra lines", () => {
  it("must already be rounded to the currency", () => {
    expect(() => preview({ extraLines: [{ kind: "adjustment", code: "x", description: "x", amount: "1.005" }] })).toThrow(InvoiceLineError);
  });

  it("only adjustment and gain_share kinds are accepted", () => {
    expect(() => preview({ extraLines: [{ kind: "base_fee" as never, code: "x", description: "x", amount: "1" }] })).toThrow(InvoiceLineError);
  });

  it("JPY: extra lines in whole yen", () => {
    const yen = findPlan(catalog, "yen");
    const p = buildInvoicePreview({
      catalog,
      plan: yen,
      periodIndex: 0,
      usage: { metrics: { tokens: "3" } }, // 1.5 → 2
      extraLines: [{ kind: "gain_share", code: "gs", description: "Gain-share", amount: "500" }],
    });
    expect(summary(p)).toEqual({ subtotal: "1702", discount: "0", tax: "0", total: "1702" });
    expect(() =>
      buildInvoicePreview({ catalog, plan: yen, periodIndex: 0, usage: {}, extraLines: [{ kind: "gain_share", code: "gs", description: "", amount: "0.5" }] }),
    ).toThrow(InvoiceLineError);
  });
});
