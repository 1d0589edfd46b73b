/** Test set-up shared by the Stripe, webhook and dunning tests: a tenant with an issued, open invoice. */
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { invoiceLines, invoices } from "@/db/schema";
import { closeDuePeriods } from "@/lib/services/billing/close-periods";
import { putCounter, putSnapshot, TEST_BILLING } from "@/lib/services/billing/test-support";
import { createStripeClient } from "../client";
import type { StripeStandIn } from "./stripe-stand-in";

/** Period 0 runs Jan 31 → Feb 28 2026; it is closed (and invoiced) at CLOSE_AT. */
export const CLOSE_AT = new Date("2026-02-28T00:05:00Z");

/**
 * A reliability-ai PRO tenant whose first period was closed by the real billing run: one open invoice
 * (9000 base + 400 credits + 150 assets, +13 % HST = 10,791.50 CAD), pending Stripe sync when stripeEnabled.
 */
export async function tenantWithOpenInvoice(db: Db, params: { slug: string; stripeEnabled: boolean }) {
  const [one] = await tenantsWithOpenInvoices(db, { slugs: [params.slug], stripeEnabled: params.stripeEnabled });
  return one;
}

/** Many such tenants, closed by one billing run. */
export async function tenantsWithOpenInvoices(db: Db, params: { slugs: string[]; stripeEnabled: boolean }) {
  const made = [];
  for (const slug of params.slugs) made.push(await openTenant(db, slug));
  await closeDuePeriods(db, { now: CLOSE_AT, batchSize: 1000, config: { ...TEST_BILLING, stripeEnabled: params.stripeEnabled } });
  const out = [];
  for (const f of made) {
    const [invoice] = await db.select().from(invoices).where(and(eq(invoices.tenantId, f.tenantId), eq(invoices.kind, "period")));
    if (!invoice) throw new Error("the period close issued no invoice");
    const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id)).orderBy(invoiceLines.position);
    out.push({ ...f, invoice, lines });
  }
  return out;
}

async function openTenant(db: Db, slug: string) {
  const f = await createTenantWithSubscription(db, {
    catalog: "reliability-ai",
    plan: "PRO",
    slug,
    anchorAt: new Date("2026-01-31T00:00:00Z"),
    now: new Date("2026-02-10T00:00:00Z"),
    taxRateCode: "HST_ON",
  });
  await putCounter(db, { ...f, metricCode: "credits", quantity: "1200000" });
  await putSnapshot(db, { ...f, metricCode: "assets", day: "2026-02-10", quantity: "1050" });
  return f;
}

export async function invoiceRow(db: Db, invoiceId: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  return row;
}

/** The SDK pointed at the stand-in, without the SDK's own retries (calls are counted exactly). */
export function standInClient(standIn: StripeStandIn) {
  return createStripeClient({ secretKey: "sk_test_standin", apiBase: standIn.url, maxNetworkRetries: 0 });
}

export const APP_URL = "http://meterline.test";
