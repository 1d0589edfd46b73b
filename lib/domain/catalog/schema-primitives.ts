/** Building blocks of the catalog schema: codes, decimals, currencies. */
import { z } from "zod";
import { isCurrencyCode, isDecimalString } from "../money";

/** Error for a wrong type: "required" when the field is missing, else what was expected. */
export function typeError(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "required" : expected);
}

/** Codes of catalogs, plans, metrics, event types… (no ':' — it joins dimension values). */
export const codeSchema = z
  .string({ error: typeError("expected a code") })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "expected a code of letters, digits, '_', '-' or '.'" })
  .max(100);

export const nameSchema = z.string({ error: typeError("expected a non-empty string") }).trim().min(1, {
  error: "expected a non-empty string",
});

export const currencySchema = z
  .string({ error: typeError("expected an ISO 4217 currency code") })
  .refine((c) => isCurrencyCode(c), { error: "expected an ISO 4217 currency code such as \"CAD\"" });

export type DecimalSign = "positive" | "nonnegative";

/**
 * A decimal written as a string ("0.0020") or, for convenience, an integer number (9000).
 * Fractional JSON numbers are refused: they are floats, and floats never touch money.
 * The output is the decimal string exactly as written.
 */
export function decimalSchema(sign: DecimalSign) {
  const expected = `expected a ${sign === "positive" ? "positive" : "non-negative"} decimal`;
  return z
    .custom<string | number>((v) => typeof v === "string" || typeof v === "number", { error: typeError(expected) })
    .transform((value, ctx) => {
      let s: string;
      if (typeof value === "number") {
        if (!Number.isSafeInteger(value)) {
          ctx.addIssue({ code: "custom", message: `${expected}; write fractions as strings, e.g. "0.0020"` });
          return z.NEVER;
        }
        s = String(value);
      } else {
        s = value.trim();
      }
      if (!isDecimalString(s)) {
        ctx.addIssue({ code: "custom", message: expected });
        return z.NEVER;
      }
      const negative = s.startsWith("-") && /[1-9]/.test(s);
      const zero = !/[1-9]/.test(s);
      if (negative || (sign === "positive" && zero)) {
        ctx.addIssue({ code: "custom", message: expected });
        return z.NEVER;
      }
      return s.startsWith("+") ? s.slice(1) : s;
    });
}

export const positiveDecimal = decimalSchema("positive");
export const nonNegativeDecimal = decimalSchema("nonnegative");

/** A percentage of money (tax, discount): decimal in (0, 100]. */
export const moneyPercentSchema = positiveDecimal.refine((s) => Number(s) <= 100, {
  error: "expected a percentage between 0 and 100",
});

/** Included quantity: a non-negative decimal or "unlimited". */
export const includedSchema = z.union([z.literal("unlimited"), nonNegativeDecimal], {
  error: 'expected a non-negative decimal or "unlimited"',
});

/** A plain percentage used for thresholds (not money), e.g. 80 or 120. */
export const thresholdPercentSchema = z
  .number({ error: "expected a percentage number" })
  .positive({ error: "expected a positive percentage" })
  .max(10_000);
