/**
 * Money and quantity arithmetic. Never a JavaScript float: every amount and quantity is a Decimal
 * in code and a decimal string at the edges (catalogs, database, JSON).
 */
import DecimalJs from "decimal.js";
import { DomainError, InvalidDecimalError } from "./errors";

/** decimal.js clone used by the whole engine: 50 significant digits, half-up, no exponent notation. */
export const Decimal = DecimalJs.clone({
  precision: 50,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -1000,
  toExpPos: 1000,
});
export type Decimal = DecimalJs;

export type DecimalInput = string | number | DecimalJs;

const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Converts to Decimal; rejects NaN, ±Infinity and non-numeric strings. */
export function toDecimal(value: DecimalInput): Decimal {
  if (DecimalJs.isDecimal(value)) {
    const d = new Decimal(value as DecimalJs);
    if (!d.isFinite()) throw new InvalidDecimalError(value);
    return d;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidDecimalError(value);
    return new Decimal(value);
  }
  if (typeof value === "string") {
    const s = value.trim();
    if (!DECIMAL_STRING.test(s)) throw new InvalidDecimalError(value);
    return new Decimal(s);
  }
  throw new InvalidDecimalError(value);
}

/** True when the string is a plain finite decimal ("12", "-0.0020", "1e3" is not accepted). */
export function isDecimalString(value: string): boolean {
  return /^[+-]?\d+(\.\d+)?$/.test(value);
}

/** ISO 4217 currencies with no minor unit. */
const ZERO_DECIMAL = new Set([
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
  "XAF", "XOF", "XPF",
]);
/** ISO 4217 currencies with three decimals. */
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export class InvalidCurrencyError extends DomainError {
  constructor(currency: string) {
    super("invalid_currency", `expected an ISO 4217 currency code, got ${JSON.stringify(currency)}`, {
      currency,
    });
  }
}

export function isCurrencyCode(currency: string): boolean {
  return /^[A-Z]{3}$/.test(currency);
}

/** Number of decimals of the currency's minor unit (CAD 2, JPY 0, KWD 3). */
export function currencyMinorUnits(currency: string): number {
  const c = currency.toUpperCase();
  if (!isCurrencyCode(c)) throw new InvalidCurrencyError(currency);
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/**
 * Rounds an amount to the currency's minor unit, half-up (ties away from zero: 0.005 → 0.01,
 * -0.005 → -0.01). This is the one rounding step applied to each invoice line.
 */
export function roundMoney(amount: DecimalInput, currency: string): Decimal {
  const rounded = toDecimal(amount).toDecimalPlaces(currencyMinorUnits(currency), DecimalJs.ROUND_HALF_UP);
  return rounded.isZero() ? new Decimal(0) : rounded;
}

/** Rounded amount as a fixed-decimals string: "10600.00", JPY "1200", KWD "1.250". */
export function formatAmount(amount: DecimalInput, currency: string): string {
  return roundMoney(amount, currency).toFixed(currencyMinorUnits(currency));
}

/** A quantity as a plain decimal string without exponent or trailing zeros ("1.5", "200000"). */
export function formatQuantity(quantity: DecimalInput): string {
  const d = toDecimal(quantity);
  return d.isZero() ? "0" : d.toFixed();
}

/** Number of decimal places actually present in a decimal string ("1.50" → 2). */
export function decimalPlacesOf(value: string): number {
  const i = value.indexOf(".");
  return i < 0 ? 0 : value.length - i - 1;
}

export function sumDecimals(values: Iterable<DecimalInput>): Decimal {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(toDecimal(v));
  return total;
}

export function maxDecimal(a: DecimalInput, b: DecimalInput): Decimal {
  return Decimal.max(toDecimal(a), toDecimal(b));
}

export function minDecimal(a: DecimalInput, b: DecimalInput): Decimal {
  return Decimal.min(toDecimal(a), toDecimal(b));
}
