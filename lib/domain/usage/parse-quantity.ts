/**
 * An event quantity from JSON — a decimal string ("12.5") or a number (12.5) — as an exact decimal
 * string. Numbers are converted through their shortest round-trip string form (never float maths);
 * non-finite values, exponents beyond the column and more digits than numeric(38,12) holds are refused.
 */
export const MAX_INTEGER_DIGITS = 26;
export const MAX_FRACTION_DIGITS = 12;

export type ParsedQuantity = { ok: true; value: string } | { ok: false; message: string };

const PLAIN = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const SCIENTIFIC = /^([+-]?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/;

function normalize(sign: string, intPart: string, fracPart: string): ParsedQuantity {
  const int = intPart.replace(/^0+(?=\d)/, "");
  const frac = fracPart.replace(/0+$/, "");
  if (int.replace(/^0+/, "").length > MAX_INTEGER_DIGITS) {
    return { ok: false, message: `quantity has more than ${MAX_INTEGER_DIGITS} integer digits` };
  }
  if (frac.length > MAX_FRACTION_DIGITS) {
    return { ok: false, message: `quantity has more than ${MAX_FRACTION_DIGITS} decimal places` };
  }
  const zero = /^0*$/.test(int) && frac === "";
  const body = frac ? `${int}.${frac}` : int;
  return { ok: true, value: zero ? "0" : sign === "-" ? `-${body}` : body };
}

/** Expands "1.5e3" → digits without floating point. */
function expand(sign: string, intPart: string, fracPart: string, exponent: number): ParsedQuantity {
  if (Math.abs(exponent) > MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 2) {
    return { ok: false, message: "quantity is out of range" };
  }
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  if (point <= 0) return normalize(sign, "0", "0".repeat(-point) + digits);
  if (point >= digits.length) return normalize(sign, digits + "0".repeat(point - digits.length), "");
  return normalize(sign, digits.slice(0, point), digits.slice(point));
}

export function parseQuantity(input: unknown): ParsedQuantity {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { ok: false, message: "quantity must be a finite number" };
    const s = String(input);
    const m = SCIENTIFIC.exec(s);
    if (m) return expand(m[1], m[2], m[3] ?? "", Number(m[4]));
    const p = PLAIN.exec(s);
    if (!p) return { ok: false, message: "quantity must be a finite number" };
    return normalize(p[1], p[2], p[3] ?? "");
  }
  if (typeof input === "string") {
    const s = input.trim();
    if (s.length > 64) return { ok: false, message: "quantity is too long" };
    const p = PLAIN.exec(s);
    if (!p) return { ok: false, message: 'quantity must be a decimal number or a decimal string such as "12.5"' };
    return normalize(p[1], p[2], p[3] ?? "");
  }
  return { ok: false, message: 'quantity must be a decimal number or a decimal string such as "12.5"' };
}
