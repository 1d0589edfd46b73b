/**
 * Display formatting in the tenant's locale and currency. Amounts arrive as decimal strings and are
 * passed to Intl as strings (exact: Intl formats decimal strings without going through a float).
 */
type IntlDecimal = Parameters<Intl.NumberFormat["format"]>[0];

export function formatMoney(amount: string, currency: string, locale = "en-CA"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount as unknown as IntlDecimal);
}

/**
 * A unit price in its currency: at least the currency's minor digits (3.00, ¥5) and up to six more where the
 * price needs them (0.0020 per credit stays 0.002, never rounded to 0.00).
 */
export function formatUnitPrice(amount: string, currency: string, locale = "en-CA"): string {
  const minor = new Intl.NumberFormat(locale, { style: "currency", currency }).resolvedOptions().minimumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: minor,
    maximumFractionDigits: Math.max(minor, 6),
  }).format(amount as unknown as IntlDecimal);
}

export function formatNumber(value: string | number, locale = "en-CA", maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value as unknown as IntlDecimal);
}

export function formatPercent(value: number, locale = "en-CA"): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(value);
}

export function formatDate(date: Date, locale = "en-CA"): string {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }).format(date);
}

export function formatDateTime(date: Date, locale = "en-CA"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(date) + " UTC";
}
