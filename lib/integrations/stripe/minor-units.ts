/**
 * Decimal amounts ↔ Stripe's integer minor units, exactly (never through a float). Stripe's own exponent
 * table: most currencies 2; its zero-decimal list 0; BHD/JOD/KWD/OMR/TND 3; ISK is zero-decimal but sent
 * with two decimals for backwards compatibility. An amount that does not fit the exponent is refused, not
 * rounded: our invoice lines are already rounded once, so a remainder means a bug upstream.
 */
import { Decimal, toDecimal, type DecimalInput } from "@/lib/domain/money";

const STRIPE_ZERO_DECIMAL = new Set([
  "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
]);
const STRIPE_THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);

export class MinorUnitsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MinorUnitsError";
  }
}

export function stripeExponent(currency: string): number {
  const c = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(c)) throw new MinorUnitsError(`not a currency code: ${JSON.stringify(currency)}`);
  if (STRIPE_ZERO_DECIMAL.has(c)) return 0;
  if (STRIPE_THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** "10600.00" CAD → "1060000"; "1200" JPY → "1200"; "-12.50" USD → "-1250". Exact, as an integer string. */
export function toMinorUnits(amount: DecimalInput, currency: string): string {
  const d = toDecimal(amount);
  const minor = d.times(new Decimal(10).pow(stripeExponent(currency)));
  if (!minor.isInteger()) {
    throw new MinorUnitsError(`${d.toFixed()} ${currency.toUpperCase()} has more decimals than Stripe's minor unit allows`);
  }
  return minor.isZero() ? "0" : minor.toFixed(0);
}

/** The minor-unit integer as the SDK's number parameter: only when it is a safe integer (|n| < 2^53). */
export function toStripeAmount(amount: DecimalInput, currency: string): number {
  const s = toMinorUnits(amount, currency);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || String(n) !== s) throw new MinorUnitsError(`${s} minor units is too large to send to Stripe`);
  return n;
}

/** Stripe's integer minor units → a decimal string with the currency's Stripe exponent ("1060000" CAD → "10600.00"). */
export function fromMinorUnits(minor: number | string, currency: string): string {
  const e = stripeExponent(currency);
  const d = toDecimal(typeof minor === "number" ? String(minor) : minor);
  if (!d.isInteger()) throw new MinorUnitsError(`minor units must be an integer, got ${minor}`);
  return d.dividedBy(new Decimal(10).pow(e)).toFixed(e);
}
