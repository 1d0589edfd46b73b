import { describe, expect, it } from "vitest";
import { fromMinorUnits, MinorUnitsError, toMinorUnits, toStripeAmount } from "./minor-units";

describe("toMinorUnits", () => {
  it.each([
    ["10600.00", "CAD", "1060000"],
    ["0.01", "USD", "1"],
    ["-12.50", "usd", "-1250"],
    ["0", "USD", "0"],
    ["-0.00", "USD", "0"],
    ["1200", "JPY", "1200"],
    ["1.250", "KWD", "1250"],
    ["1200", "ISK", "120000"],
    ["123456789012.34", "CAD", "12345678901234"],
    // A float would say 1.005 * 100 = 100.49999999999999; exact decimals do not.
    ["1.005", "KWD", "1005"],
    ["0.29", "USD", "29"],
    ["4.35", "USD", "435"],
  ])("%s %s → %s", (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it.each([
    ["0.001", "USD"],
    ["12.5", "JPY"],
    ["1.2345", "KWD"],
  ])("refuses %s %s (not representable, never rounded)", (amount, currency) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(MinorUnitsError);
  });

  it("refuses a non-currency", () => {
    expect(() => toMinorUnits("1", "dollars")).toThrow(MinorUnitsError);
  });
});

describe("toStripeAmount", () => {
  it("passes safe integers and refuses beyond 2^53", () => {
    expect(toStripeAmount("90071992547409.91", "USD")).toBe(9007199254740991);
    expect(() => toStripeAmount("90071992547409.92", "USD")).toThrow(/too large/);
  });
});

describe("fromMinorUnits", () => {
  it.each([
    [1060000, "CAD", "10600.00"],
    ["-1250", "USD", "-12.50"],
    [1200, "JPY", "1200"],
    [1250, "KWD", "1.250"],
  ])("%s %s → %s", (minor, currency, expected) => {
    expect(fromMinorUnits(minor, currency)).toBe(expected);
  });
  it("round-trips every cent of a range", () => {
    for (let cents = -1000; cents <= 1000; cents += 7) {
      const amount = fromMinorUnits(cents, "USD");
      expect(toMinorUnits(amount, "USD")).toBe(String(cents));
    }
  });
});
