/**
 * Billing-period arithmetic. Periods are half-open [start, end) in UTC and are always computed
 * from the subscription's anchor (never chained), so an anchor on the 31st returns to the 31st
 * after a short month: Jan 31 → Feb 28 (29 in leap years) → Mar 31.
 */
import { DomainError } from "./errors";

export type BillingInterval =
  | { unit: "month"; count: number }
  | { unit: "day"; count: number };

export type BillingPeriod = { index: number; start: Date; end: Date };

export const MS_PER_DAY = 86_400_000;

export class PeriodError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid_period", message, details);
  }
}

function assertValid(anchor: Date, interval: BillingInterval): void {
  if (!(anchor instanceof Date) || Number.isNaN(anchor.getTime())) {
    throw new PeriodError("anchor must be a valid Date");
  }
  if (!Number.isInteger(interval.count) || interval.count < 1) {
    throw new PeriodError(`interval count must be a positive integer, got ${interval.count}`);
  }
}

export function daysInMonthUtc(year: number, monthIndex0: number): number {
  return new Date(Date.UTC(year, monthIndex0 + 1, 0)).getUTCDate();
}

/**
 * The anchor moved by `months` calendar months, keeping its day-of-month clamped to the end of
 * the target month and its time of day.
 */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const total = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonthUtc(year, month));
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** Start of the period with the given index (index 0 starts at the anchor). */
export function periodStart(anchor: Date, interval: BillingInterval, index: number): Date {
  if (interval.unit === "month") return addMonthsClamped(anchor, index * interval.count);
  return new Date(anchor.getTime() + index * interval.count * MS_PER_DAY);
}

/** The period number `index` (0-based) of a subscription anchored at `anchor`. */
export function periodAt(params: { anchor: Date; interval: BillingInterval; index: number }): BillingPeriod {
  const { anchor, interval, index } = params;
  assertValid(anchor, interval);
  if (!Number.isInteger(index) || index < 0) {
    throw new PeriodError(`period index must be a non-negative integer, got ${index}`);
  }
  return {
    index,
    start: periodStart(anchor, interval, index),
    end: periodStart(anchor, interval, index + 1),
  };
}

/** The period that contains `at` (start ≤ at < end). Throws if `at` precedes the anchor. */
export function periodContaining(params: { anchor: Date; interval: BillingInterval; at: Date }): BillingPeriod {
  const { anchor, interval, at } = params;
  assertValid(anchor, interval);
  const t = at.getTime();
  if (Number.isNaN(t)) throw new PeriodError("at must be a valid Date");
  if (t < anchor.getTime()) {
    throw new PeriodError(`${at.toISOString()} is before the anchor ${anchor.toISOString()}`);
  }
  let index: number;
  if (interval.unit === "day") {
    index = Math.floor((t - anchor.getTime()) / (interval.count * MS_PER_DAY));
  } else {
    const months =
      (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
    index = Math.max(0, Math.floor(months / interval.count));
  }
  // The estimate is off by at most one in either direction; settle it exactly.
  while (index > 0 && periodStart(anchor, interval, index).getTime() > t) index--;
  while (periodStart(anchor, interval, index + 1).getTime() <= t) index++;
  return periodAt({ anchor, interval, index });
}

/** Whole or partial days from `from` until `to`, rounded up (0 when `to` is not after `from`). */
export function daysUntil(params: { from: Date; to: Date }): number {
  const ms = params.to.getTime() - params.from.getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / MS_PER_DAY);
}

/** Length of a period in days (may be fractional only if the anchor time were odd; it is not in UTC). */
export function periodLengthDays(period: { start: Date; end: Date }): number {
  return (period.end.getTime() - period.start.getTime()) / MS_PER_DAY;
}

export function isWithinPeriod(period: { start: Date; end: Date }, at: Date): boolean {
  const t = at.getTime();
  return t >= period.start.getTime() && t < period.end.getTime();
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * MS_PER_DAY);
}

export function describeInterval(interval: BillingInterval): string {
  if (interval.unit === "month") return interval.count === 1 ? "monthly" : `every ${interval.count} months`;
  return interval.count === 1 ? "daily" : `every ${interval.count} days`;
}
