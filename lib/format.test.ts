import { describe, expect, it } from "vitest";
import { formatMoney, formatNumber, formatUnitPrice } from "./format";

describe("formatMoney", () => {
  it.each([
    ["10600.00", "CAD", "en-CA", "$10,600.00"],
    ["0.005", "USD", "en-US", "$0.01"],
    ["1200", "JPY", "ja-JP", "￥1,200"],
    // More digits than a float can hold: formatted from the string, exactly.
    ["12345678901234567.89", "USD", "en-US", "$12,345,678,901,234,567.89"],
  ])("%s %s in %s", (amount, currency, locale, expected) => {
    expect(formatMoney(amount, currency, locale)).toBe(expected);
  });
  it("formats quantities with grouping", () => {
    expect(formatNumber("1250000", "en-CA")).toBe("1,250,000");
  });
});

describe("formatUnitPrice", () => {
  it.each([
    ["3", "CAD", "en-CA", "$3.00"],
    ["9000", "CAD", "en-CA", "$9,000.00"],
    ["0.0020", "CAD", "en-CA", "$0.002"],
    ["0.0015", "USD", "en-US", "$0.0015"],
    ["5", "JPY", "ja-JP", "￥5"],
  ])("%s %s", (amount, currency, locale, expected) => {
    expect(formatUnitPrice(amount, currency, locale)).toBe(expected);
  });
});
