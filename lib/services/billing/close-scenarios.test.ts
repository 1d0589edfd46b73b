import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { adjustments, gainShareRuns, invoiceLines, invoices, subscriptions } from "@/db/schema";
import type { Db } from "@/db/client";
import { loadCatalog } from "@/catalogs";
import { findPlan } from "@/lib/domain/catalog/lookup";
import { buildInvoicePreview } from "@/lib/domain/invoicing/build-invoice-preview";
import { normalizeUsage, type RawUsage } from "@/lib/domain/rating/normalize-usage";
import { listCatalogPlans } from "@/lib/services/catalog/plan-versions";
import { createApiKey } from "@/lib/services/api-keys/api-keys";
import { usagePoster } from "@/lib/services/usage/testing";
import { closeDuePeriods } from "./close-periods";
import { issueThresholdInvoices } from "./threshold-invoices";
import { getUpcomingInvoice } from "./upcoming-invoice";
import { periodByIndex, putCounter, putSnapshot, TEST_BILLING } from "./test-support";

const money = (s: string) => Number(s).toFixed(2);

function quote(catalogCode: string, planCode: string, raw: RawUsage, extra: Partial<Parameters<typeof buildInvoicePreview>[0]> = {}) {
  const catalog = loadCatalog(catalogCode);
  const plan = findPlan(catalog, planCode);
  return buildInvoicePreview({ catalog, plan, periodIndex: 0, usage: normalizeUsage({ catalog, plan, raw }), ...extra });
}

async function invoicesOf(db: Db, tenantId: string) {
  return db.select().from(invoices).where(eq(invoices.tenantId, tenantId)).orderBy(asc(invoices.periodStart), asc(invoices.kind));
}

async function linesOf(db: Db, invoiceId: string) {
  return db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
}

describe.each(testDbKinds())("billing scenarios on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  it("30-day periods, dimensional snapshots; the upcoming preview equals the invoice the close issues", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "compute-licences",
      plan: "platform",
      slug: "thirty-day",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-15T00:00:00Z"),
    });
    await putSnapshot(db, { ...f, metricCode: "licences", day: "2026-01-20", quantity: "3", breakdown: { basic: 2, professional: 1 } });
    await putSnapshot(db, { ...f, metricCode: "licences", day: "2026-01-30", quantity: "5", breakdown: { basic: 4, enterprise: 1 } });
    await putSnapshot(db, { ...f, metricCode: "licences", day: "2026-01-31", quantity: "10", breakdown: { enterprise: 10 } });
    await putSnapshot(db, { ...f, metricCode: "clusters", day: "2026-01-30", quantity: "2", breakdown: { "medium:production": 2 } });
    await putSnapshot(db, { ...f, metricCode: "users", day: "2026-01-30", quantity: "8" });
    await putSnapshot(db, { ...f, metricCode: "storage_gb", day: "2026-01-30", quantity: "60" });

    const upcoming = await getUpcomingInvoice(db, f.tenantId);
    expect(upcoming!.periodEnd.toISOString()).toBe("2026-01-31T00:00:00.000Z");

    await closeDuePeriods(db, { now: new Date("2026-01-31T00:10:00Z"), config: TEST_BILLING });
    const [inv] = await invoicesOf(db, f.tenantId);
    const expected = quote("compute-licences", "platform", {
      licences: { basic: 4, enterprise: 1 },
      clusters: { "medium:production": 2 },
      users: 8,
      storage_gb: 60,
    });
    expect(expected.total).toBe("225.00"); // 10 + 20 + 25 + 160 + 9 + 1
    expect(money(inv.total)).toBe(expected.total);
    expect(upcoming!.preview.total).toBe(expected.total);
    const lines = await linesOf(db, inv.id);
    expect(lines.map((l) => [l.code, money(l.amount)])).toEqual(upcoming!.preview.lines.map((l) => [l.code, l.amount]));
    const next = await periodByIndex(db, { ...f, index: 1 });
    expect([next.startsAt.toISOString(), next.endsAt.toISOString()]).toEqual(["2026-01-31T00:00:00.000Z", "2026-03-02T00:00:00.000Z"]);
  });

  it("an event 1 ms before the period's end is billed in that period, one exactly at the end in the next", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "ai-platform",
      plan: "standard",
      slug: "boundary",
      anchorAt: new Date("2026-05-01T00:00:00Z"),
      now: new Date("2026-05-20T00:00:00Z"),
    });
    const { key } = await createApiKey(db, { tenantId: f.tenantId, name: "boundary" });
    const end = new Date("2026-06-01T00:00:00Z");
    const post = usagePoster(db, { now: () => new Date(end.getTime() + 60_000) });
    const event = (id: string, at: Date, quantity: number) => ({
      event_type: "api_calls",
      quantity,
      timestamp: at.toISOString(),
      idempotency_key: id,
    });
    expect((await post(key, event("before-end", new Date(end.getTime() - 1), 100_500))).status).toBe(200);
    expect((await post(key, event("at-end", end, 200_000))).status).toBe(200);

    await closeDuePeriods(db, { now: new Date(end.getTime() + 120_000), config: TEST_BILLING });
    await closeDuePeriods(db, { now: new Date("2026-07-01T00:05:00Z"), config: TEST_BILLING });
    const [may, june] = await invoicesOf(db, f.tenantId);
    expect(money(may.total)).toBe("99.50"); // 99 + 500 beyond 100K at 0.001
    expect(money(june.total)).toBe("199.00"); // 99 + 100,000 beyond at 0.001
    expect(may.periodEnd.toISOString()).toBe(end.toISOString());
    expect(june.periodStart.toISOString()).toBe(end.toISOString());
  });

  it("applies a promotion by period index (LAUNCH50: periods 0–2) and catches up a backlog of periods", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "anomaly-detection",
      plan: "standard",
      slug: "launch50",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-04-15T00:00:00Z"),
      promotionCode: "LAUNCH50",
    });
    const now = new Date("2026-04-15T00:00:00Z");
    let run = await closeDuePeriods(db, { now, config: TEST_BILLING });
    while (run.hasMore) run = await closeDuePeriods(db, { now, config: TEST_BILLING });
    const rows = await invoicesOf(db, f.tenantId);
    expect(rows.map((r) => [r.periodStart.toISOString().slice(0, 7), money(r.discount), money(r.total)])).toEqual([
      ["2026-01", "24.50", "24.50"],
      ["2026-02", "24.50", "24.50"],
      ["2026-03", "24.50", "24.50"],
    ]);
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub.currentPeriodIndex).toBe(3);
    const upcoming = await getUpcomingInvoice(db, f.tenantId);
    expect(upcoming!.preview.discount).toBe("0.00"); // period 3: the promotion has run out
    expect(upcoming!.preview.total).toBe("49.00");
  });

  it("threshold invoicing: an interim invoice at 500 of accrued overage, the period-end invoice bills the rest", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "anomaly-detection",
      plan: "standard",
      slug: "threshold",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-10T00:00:00Z"),
    });
    await putCounter(db, { ...f, metricCode: "anomalies", quantity: "380000" });
    const t1 = await issueThresholdInvoices(db, { now: new Date("2026-01-10T00:00:00Z"), config: TEST_BILLING });
    expect(t1.issued).toBe(0); // 130,000 × 0.0035 = 455 < 500

    await putCounter(db, { ...f, metricCode: "anomalies", quantity: "400000" });
    const t2 = await issueThresholdInvoices(db, { now: new Date("2026-01-12T00:00:00Z"), config: TEST_BILLING });
    expect(t2.issued).toBe(1);
    const again = await issueThresholdInvoices(db, { now: new Date("2026-01-12T01:00:00Z"), config: TEST_BILLING });
    expect(again.issued).toBe(0);
    const [interim] = await invoicesOf(db, f.tenantId);
    expect(interim).toMatchObject({ kind: "threshold", sequenceInPeriod: 1, status: "open" });
    expect(money(interim.total)).toBe("525.00"); // 150,000 × 0.0035, no base fee

    await putCounter(db, { ...f, metricCode: "anomalies", quantity: "420000" });
    const upcoming = await getUpcomingInvoice(db, f.tenantId);
    expect(upcoming!.preview.total).toBe("119.00"); // 49 + (595 − 525)
    await closeDuePeriods(db, { now: new Date("2026-02-01T00:00:00Z"), config: TEST_BILLING });
    const period = (await invoicesOf(db, f.tenantId)).find((i) => i.kind === "period")!;
    expect(money(period.total)).toBe("119.00");
    const full = quote("anomaly-detection", "standard", { anomalies: "420000" });
    expect(Number(interim.total) + Number(period.total)).toBeCloseTo(Number(full.total), 6); // 644 in all
  });

  it("bills pending adjustments and approved gain-share fees exactly once, with the tenant's tax", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "reliability-ai",
      plan: "ENTERPRISE",
      slug: "extras",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-10T00:00:00Z"),
      taxRateCode: "GST",
    });
    await db.insert(adjustments).values({ tenantId: f.tenantId, subscriptionId: f.subscriptionId, description: "Correction of voided events", amount: "-30.004", currency: "CAD" });
    await db.insert(adjustments).values({ tenantId: f.tenantId, subscriptionId: f.subscriptionId, description: "USD oddity", amount: "5", currency: "USD" });
    await db.insert(gainShareRuns).values({
      tenantId: f.tenantId,
      subscriptionId: f.subscriptionId,
      periodStart: "2025-12-01",
      periodEnd: "2025-12-31",
      sharePercent: "15",
      currency: "CAD",
      inputs: {},
      breakdown: [],
      totalSavings: "8333.33",
      fee: "1250.00",
      status: "approved",
    });
    await closeDuePeriods(db, { now: new Date("2026-02-01T00:00:00Z"), config: TEST_BILLING });
    await closeDuePeriods(db, { now: new Date("2026-03-01T00:00:00Z"), config: TEST_BILLING });
    const [jan, feb] = await invoicesOf(db, f.tenantId);
    const janLines = await linesOf(db, jan.id);
    expect(janLines.filter((l) => l.kind === "adjustment").map((l) => money(l.amount))).toEqual(["-30.00"]);
    expect(janLines.filter((l) => l.kind === "gain_share").map((l) => money(l.amount))).toEqual(["1250.00"]);
    // 18,000 − 30 + 1,250 = 19,220; GST 5 % = 961
    expect([money(jan.subtotal), money(jan.tax), money(jan.total)]).toEqual(["19220.00", "961.00", "20181.00"]);
    const febLines = await linesOf(db, feb.id);
    expect(febLines.some((l) => l.kind === "adjustment" || l.kind === "gain_share")).toBe(false);
    const [usd] = await db.select().from(adjustments).where(and(eq(adjustments.tenantId, f.tenantId), eq(adjustments.currency, "USD")));
    expect(usd.appliedInvoiceId).toBeNull(); // another currency never lands on a CAD invoice
    const [run] = await db.select().from(gainShareRuns).where(eq(gainShareRuns.tenantId, f.tenantId));
    expect(run.invoicedInvoiceId).toBe(jan.id);
  });

  it("a plan change scheduled for the boundary takes effect in the next period", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "reliability-ai",
      plan: "STARTER",
      slug: "downgrade",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-10T00:00:00Z"),
    });
    const pro = (await listCatalogPlans(db, "reliability-ai")).find((p) => p.plan.code === "PRO")!;
    await db.update(subscriptions).set({ pendingPlanVersionId: pro.planVersionId }).where(eq(subscriptions.id, f.subscriptionId));
    await closeDuePeriods(db, { now: new Date("2026-02-01T00:00:00Z"), config: TEST_BILLING });
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub).toMatchObject({ planVersionId: pro.planVersionId, pendingPlanVersionId: null, currentPeriodIndex: 1 });
    expect((await periodByIndex(db, { ...f, index: 1 })).planVersionId).toBe(pro.planVersionId);
    const [jan] = await invoicesOf(db, f.tenantId);
    expect(jan.planCode).toBe("STARTER");
    expect((await getUpcomingInvoice(db, f.tenantId))!.planCode).toBe("PRO");
  });
});
