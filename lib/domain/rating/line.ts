/** Invoice lines: the one place an amount is rounded (once, half-up, to the currency's minor unit). */
import { currencyMinorUnits, decimalPlacesOf, isDecimalString, formatAmount, formatQuantity, toDecimal, type DecimalInput } from "../money";

export type LineKind =
  | "base_fee"
  | "metered_overage"
  | "credit_overage"
  | "counted_overage"
  | "dimensional"
  | "promotion"
  | "tax"
  | "adjustment"
  | "gain_share";

export const USAGE_LINE_KINDS: readonly LineKind[] = [
  "metered_overage",
  "credit_overage",
  "counted_overage",
  "dimensional",
];

export type InvoiceLine = {
  kind: LineKind;
  /** Stable code: component code, metric code, "clusters:medium:production", promotion or tax code. */
  code: string;
  description: string;
  /** Decimal string. For tax lines: the taxable amount. */
  quantity: string;
  /** Decimal string. For tax lines: the rate as a fraction ("0.13"). */
  unit_amount: string;
  /** Rounded amount, fixed to the currency's minor unit ("150.00"). */
  amount: string;
  /** Present when interim (threshold) invoices already billed part of this line. */
  previously_billed?: string;
};

/** Unit price shown with at least the currency's decimals ("3" → "3.00", "0.0020" kept). */
export function formatUnitAmount(value: DecimalInput, currency: string): string {
  const d = toDecimal(value);
  // Keep the precision the catalog was written with ("0.0020" stays "0.0020").
  const written = typeof value === "string" && isDecimalString(value.trim()) ? value.trim() : d.toFixed();
  const places = Math.max(currencyMinorUnits(currency), decimalPlacesOf(written));
  return d.toFixed(places);
}

/** Builds a line whose amount is quantity × unit amount, rounded once. */
export function makeLine(params: {
  kind: LineKind;
  code: string;
  description: string;
  quantity: DecimalInput;
  unitAmount: DecimalInput;
  currency: string;
}): InvoiceLine {
  const { kind, code, description, quantity, unitAmount, currency } = params;
  return {
    kind,
    code,
    description,
    quantity: formatQuantity(quantity),
    unit_amount: formatUnitAmount(unitAmount, currency),
    amount: formatAmount(toDecimal(quantity).times(toDecimal(unitAmount)), currency),
  };
}

/** 1234567.5 → "1,234,567.5" (display only; never parsed back). */
export function groupDigits(value: DecimalInput): string {
  const s = typeof value === "string" && isDecimalString(value) ? value : formatQuantity(value);
  const [int, frac] = s.split(".");
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${grouped}${frac ? `.${frac}` : ""}`;
}
