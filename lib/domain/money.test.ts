import { describe, expect, it } from "vitest";
import { currencyMinorUnits, formatAmount, formatQuantity, roundMoney, toDecimal, InvalidCurrencyError } from "./money";
import { InvalidDecimalError } from "./errors";

describe("toDecimal", () => {
  it.each([
    ["0.0020", "0.002"],
    ["  12 ", "12"],
    [7, "7"],
    ["1e3", "1000"],
    ["-1.50", "-1.5"],
  ])("%j → %s", (input, expected) => {
    expect(toDecimal(input).toFixed()).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity, "abc", "", "1,000", "0x10"])("rejects %j", (input) => {
    expect(() => toDecimal(input as never)).toThrow(InvalidDecimalError);
  });

  it("is exact where floats are not", () => {
    // 0.1 + 0.2 = 0.30000000000000004 in floats
    expect(toDecimal("0.1").plus("0.2").toFixed()).toBe("0.3");
    // 1/3 keeps 50 significant digits
    expect(toDecimal(1).dividedBy(3).toFixed()).toBe("0." + "3".repeat(50));
  });
});

describe("currencyMinorUnits", () => {
  it.each([
    ["CAD", 2],
    ["USD", 2],
    ["EUR", 2],
    ["usd", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["CLP", 0],
    ["BHD", 3],
    ["KWD", 3],
  ])("%s → %i", (currency, units) => {
    expect(currencyMinorUnits(currency)).toBe(units);
  });

  it("rejects a non-ISO code", () => {
    expect(() => currencyMinorUnits("DOLLARS")).toThrow(InvalidCurrencyError);
  });
});

describe("roundMoney / formatAmount: half-up to the minor unit", () => {
  it.each([
    // value, currency, expected
    ["0.005", "USD", "0.01"], // half-cent tie rounds up
    ["0.0049999", "USD", "0.00"],
    ["1.005", "USD", "1.01"], // a float would give 1.00 (1.005 is 1.00499999… in binary)
    ["2.675", "USD", "2.68"], // same trap
    ["-0.005", "USD", "-0.01"], // ties away from zero
    ["-0.004", "USD", "0.00"], // no "-0.00"
    ["0.4995", "CAD", "0.50"], // 333 × 0.0015
    ["0.0045", "CAD", "0.00"], // 3 × 0.0015
    ["0.0075", "CAD", "0.01"], // 5 × 0.0015
    ["10600", "CAD", "10600.00"],
    ["1199.5", "JPY", "1200"], // zero-decimal currency
    ["1199.4999", "JPY", "1199"],
    ["0.5", "JPY", "1"],
    ["1.2345", "KWD", "1.235"],
    ["1.2344", "KWD", "1.234"],
  ])("%s %s → %s", (value, currency, expected) => {
    expect(formatAmount(value, currency)).toBe(expected);
    expect(roundMoney(value, currency).toFixed(currencyMinorUnits(currency))).toBe(expected);
  });

  it("rounds thirds", () => {
    const third = toDecimal(100).dividedBy(3); // 33.333…
    expect(formatAmount(third, "USD")).toBe("33.33");
    expect(formatAmount(third.times(2), "USD")).toBe("66.67");
    expect(formatAmount(third, "JPY")).toBe("33");
  });
});

describe("formatQuantity", () => {
  it.each([
    ["1500000", "1500000"],
    ["1.50", "1.5"],
    ["0.000", "0"],
    ["1e21", "1000000000000000000000"],
  ])("%s → %s", (q, expected) => expect(formatQuantity(q)).toBe(expected));
});
