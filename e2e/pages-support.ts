import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const CRON_SECRET = "e2e-cron-secret-0123456789";

/** The customer pages (any tenant member) and operator pages (operator admins) this suite covers. */
export const CUSTOMER_PAGES = [
  { path: "/billing", heading: "Billing overview", name: "billing" },
  { path: "/billing/usage", heading: "Usage", name: "billing-usage" },
  { path: "/billing/plans", heading: "Plans", name: "billing-plans" },
  { path: "/billing/invoices", heading: "Invoices", name: "billing-invoices" },
  { path: "/settings/api-keys", heading: "API keys", name: "settings-api-keys" },
] as const;

export const OPERATOR_PAGES = [
  { path: "/admin", heading: "Tenants", name: "admin" },
  { path: "/admin/automation", heading: "Automation runs", name: "admin-automation" },
  { path: "/admin/catalog", heading: "Catalog", name: "admin-catalog" },
] as const;

/** Closes the demo's ended periods (the hourly invoice cron), so invoice pages have invoices. Idempotent. */
export async function runInvoiceCron(request: APIRequestContext) {
  for (let i = 0; i < 10; i++) {
    const res = await request.get("/api/cron/invoices", { headers: { Authorization: `Bearer ${CRON_SECRET}` } });
    expect(res.status(), await res.text()).toBeLessThan(300);
    const body = (await res.json().catch(() => ({}))) as { hasMore?: boolean; has_more?: boolean };
    if (!body.hasMore && !body.has_more) return;
  }
}

/**
 * Records console errors, failed requests and HTTP error responses of a page. `allow` lists URL parts whose
 * 4xx are the point of the test (a 403/404 page).
 */
export function watchPage(page: Page) {
  const problems: string[] = [];
  let allow: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      const text = msg.text();
      // Chromium logs the status of a deliberately refused document as a console error; that is checked by status.
      if (/Failed to load resource: the server responded with a status of (403|404)/.test(text) && allow.length) return;
      problems.push(`console: ${text}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("requestfailed", (req) => {
    const failure = req.failure()?.errorText ?? "";
    // Navigations interrupted by our own next navigation, and RSC prefetches cancelled by it, are not failures.
    if (failure.includes("ERR_ABORTED")) return;
    problems.push(`requestfailed: ${req.method()} ${req.url()} ${failure}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400 && !allow.some((a) => res.url().includes(a))) problems.push(`http ${res.status()}: ${res.url()}`);
  });
  return {
    problems,
    allowErrorsFor(parts: string[]) {
      allow = parts;
    },
    expectClean() {
      expect(problems, problems.join("\n")).toEqual([]);
    },
  };
}

export async function screenshotBoth(page: Page, name: string) {
  for (const [w, h] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    // Let ResponsiveContainer charts re-measure after the resize.
    await page.waitForTimeout(250);
    // Responsive: nothing may widen the page beyond the viewport (tables scroll inside their own region).
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${w}px overflows horizontally`).toBeLessThanOrEqual(w);
    await page.screenshot({ path: `e2e/screenshots/${name}-${w}x${h}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** "912,345 / 1,000,000 credits" → 912345 (en-CA grouping). */
export function firstNumber(text: string): number {
  const m = text.replace(/\u00a0|\u202f/g, " ").match(/-?[\d,]+(\.\d+)?/);
  if (!m) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(m[0].replace(/,/g, ""));
}
