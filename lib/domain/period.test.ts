import { describe, expect, it } from "vitest";
import { addMonthsClamped, daysUntil, periodAt, periodContaining, PeriodError, type BillingInterval } from "./period";

const monthly: BillingInterval = { unit: "month", count: 1 };
const days30: BillingInterval = { unit: "day", count: 30 };
const iso = (d: Date) => d.toISOString();
const D = (s: string) => new Date(s);

describe("monthly periods anchored on the 31st", () => {
  // Each period is computed from the anchor, so the 31st comes back after February.
  it.each([
    // year, [period starts…]
    [
      2028, // leap year: Feb 29
      ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31"],
    ],
    [
      2027, // non-leap: Feb 28
      ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"],
    ],
  ])("anchor %i-01-31", (year, starts) => {
    const anchor = D(`${year}-01-31T09:30:00.000Z`);
    starts.forEach((day, index) => {
      const p = periodAt({ anchor, interval: monthly, index });
      expect(iso(p.start)).toBe(`${day}T09:30:00.000Z`); // time of day kept
      if (index + 1 < starts.length) expect(iso(p.end)).toBe(`${starts[index + 1]}T09:30:00.000Z`);
    });
  });

  it("February period of a leap year is 29 days, of a non-leap year 28", () => {
    const leap = periodAt({ anchor: D("2028-01-31T00:00:00Z"), interval: monthly, index: 1 });
    expect(iso(leap.start)).toBe("2028-02-29T00:00:00.000Z");
    expect(iso(leap.end)).toBe("2028-03-31T00:00:00.000Z");
    const plain = periodAt({ anchor: D("2027-01-31T00:00:00Z"), interval: monthly, index: 1 });
    expect(iso(plain.start)).toBe("2027-02-28T00:00:00.000Z");
    expect(iso(plain.end)).toBe("2027-03-31T00:00:00.000Z");
  });

  it("anchor Feb 29 → Mar 29 → … → Feb 28 of the next year → Feb 29 again in 2032", () => {
    const anchor = D("2028-02-29T00:00:00Z");
    expect(iso(periodAt({ anchor, interval: monthly, index: 1 }).start)).toBe("2028-03-29T00:00:00.000Z");
    expect(iso(periodAt({ anchor, interval: monthly, index: 12 }).start)).toBe("2029-02-28T00:00:00.000Z");
    expect(iso(periodAt({ anchor, interval: monthly, index: 48 }).start)).toBe("2032-02-29T00:00:00.000Z");
  });

  it("crosses a year end", () => {
    const p = periodAt({ anchor: D("2026-12-15T00:00:00Z"), interval: monthly, index: 1 });
    expect(iso(p.start)).toBe("2027-01-15T00:00:00.000Z");
    expect(iso(addMonthsClamped(D("2026-12-31T00:00:00Z"), 2))).toBe("2027-02-28T00:00:00.000Z");
  });
});

describe("30-day periods", () => {
  const anchor = D("2027-01-20T00:00:00Z");
  it.each([
    // index, start, end — 30 days each, crossing month ends
    [0, "2027-01-20", "2027-02-19"],
    [1, "2027-02-19", "2027-03-21"], // Feb 19 + 30 days = Mar 21 (28-day February)
    [2, "2027-03-21", "2027-04-20"],
    [11, "2027-12-16", "2028-01-15"], // across the year end: Jan 20 + 330 days = Dec 16
  ])("period %i is [%s, %s)", (index, start, end) => {
    const p = periodAt({ anchor, interval: days30, index });
    expect(iso(p.start)).toBe(`${start}T00:00:00.000Z`);
    expect(iso(p.end)).toBe(`${end}T00:00:00.000Z`);
  });
});

describe("periodContaining: half-open [start, end)", () => {
  const anchor = D("2028-01-31T00:00:00Z");
  it.each([
    ["2028-01-31T00:00:00.000Z", 0], // start belongs to the period
    ["2028-02-28T23:59:59.999Z", 0],
    ["2028-02-29T00:00:00.000Z", 1], // end belongs to the next one
    ["2028-03-30T12:00:00.000Z", 1],
    ["2028-03-31T00:00:00.000Z", 2],
    ["2029-01-31T00:00:00.000Z", 12],
  ])("%s → period %i (monthly)", (at, index) => {
    const p = periodContaining({ anchor, interval: monthly, at: D(at) });
    expect(p.index).toBe(index);
    expect(p.start.getTime()).toBeLessThanOrEqual(D(at).getTime());
    expect(p.end.getTime()).toBeGreaterThan(D(at).getTime());
  });

  it.each([
    ["2027-01-20T00:00:00.000Z", 0],
    ["2027-02-18T23:59:59.999Z", 0],
    ["2027-02-19T00:00:00.000Z", 1],
    ["2028-01-15T00:00:00.000Z", 12],
  ])("%s → period %i (30 days)", (at, index) => {
    expect(periodContaining({ anchor: D("2027-01-20T00:00:00Z"), interval: days30, at: D(at) }).index).toBe(index);
  });

  it("every instant of two years falls in exactly the period that contains it", () => {
    const a = D("2027-01-31T06:00:00Z");
    for (let t = a.getTime(); t < a.getTime() + 730 * 86_400_000; t += 7 * 3_600_000 + 123_457) {
      const p = periodContaining({ anchor: a, interval: monthly, at: new Date(t) });
      expect(p.start.getTime() <= t && t < p.end.getTime()).toBe(true);
    }
  });

  it("rejects an instant before the anchor and bad indexes", () => {
    expect(() => periodContaining({ anchor, interval: monthly, at: D("2028-01-30T00:00:00Z") })).toThrow(PeriodError);
    expect(() => periodAt({ anchor, interval: monthly, index: -1 })).toThrow(PeriodError);
    expect(() => periodAt({ anchor, interval: { unit: "day", count: 0 }, index: 0 })).toThrow(PeriodError);
  });
});

describe("daysUntil", () => {
  it.each([
    ["2027-03-01T00:00:00Z", "2027-03-31T00:00:00Z", 30],
    ["2027-03-01T00:00:00Z", "2027-03-01T00:00:01Z", 1], // a partial day counts
    ["2027-03-31T00:00:00Z", "2027-03-01T00:00:00Z", 0],
  ])("%s → %s = %i", (from, to, days) => expect(daysUntil({ from: D(from), to: D(to) })).toBe(days));
});
