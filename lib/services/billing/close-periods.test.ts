import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { invoiceLines, invoices, notifications, subscriptions } from "@/db/schema";
import { loadCatalog } from "@/catalogs";
import { findPlan } from "@/lib/domain/catalog/lookup";
import { buildInvoicePreview } from "@/lib/domain/invoicing/build-invoice-preview";
import { normalizeUsage } from "@/lib/domain/rating/normalize-usage";
import { closeDuePeriods } from "./close-periods";
import { periodByIndex, putCounter, putSnapshot, TEST_BILLING } from "./test-support";

describe.each(testDbKinds())("period close on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  it("invoices a month-end (Jan 31) period once, with the quote engine's total, and opens the next", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "reliability-ai",
      plan: "PRO",
      slug: "monthend",
      anchorAt: new Date("2026-01-31T00:00:00Z"),
      now: new Date("2026-02-10T00:00:00Z"),
      taxRateCode: "HST_ON",
    });
    await putCounter(db, { ...f, metricCode: "credits", quantity: "1200000" });
    await putSnapshot(db, { ...f, metricCode: "assets", day: "2026-02-10", quantity: "1100" });
    await putSnapshot(db, { ...f, metricCode: "assets", day: "2026-02-27", quantity: "1050" });
    // The snapshot of the end day belongs to the next period.
    await putSnapshot(db, { ...f, metricCode: "assets", day: "2026-02-28", quantity: "1400" });

    // Not yet ended: nothing to do.
    const early = await closeDuePeriods(db, { now: new Date("2026-02-27T23:59:59.999Z"), config: TEST_BILLING });
    expect(early.closed).toBe(0);

    const now = new Date("2026-02-28T00:05:00Z");
    const run = await closeDuePeriods(db, { now, config: TEST_BILLING });
    expect(run).toMatchObject({ closed: 1, failed: 0, hasMore: false, paths: { fast: 1, locked: 0 } });

    const [inv] = await db.select().from(invoices).where(eq(invoices.tenantId, f.tenantId));
    const catalog = loadCatalog("reliability-ai");
    const plan = findPlan(catalog, "PRO");
    const quote = buildInvoicePreview({
      catalog,
      plan,
      periodIndex: 0,
      usage: normalizeUsage({ catalog, plan, raw: { credits: "1200000", assets: "1050" } }),
      taxRate: catalog.tax_rates.find((r) => r.code === "HST_ON")!,
    });
    expect(quote.total).toBe("10791.50"); // 9000 + 400 credits + 150 assets, +13 % HST
    expect(Number(inv.total).toFixed(2)).toBe(quote.total);
    expect(inv).toMatchObject({ number: "INV-2026-000001", status: "open", kind: "period", currency: "CAD" });
    expect(inv.periodStart.toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(inv.periodEnd.toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(inv.dueAt!.toISOString()).toBe("2026-03-14T00:05:00.000Z");
    const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, inv.id)).orderBy(invoiceLines.position);
    expect(lines.map((l) => [l.kind, Number(l.amount).toFixed(2)])).toEqual(quote.lines.map((l) => [l.kind, l.amount]));

    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, f.subscriptionId));
    expect(sub.currentPeriodIndex).toBe(1);
    expect(sub.currentPeriodStart.toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(sub.currentPeriodEnd.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect((await periodByIndex(db, { ...f, index: 0 })).status).toBe("closed");
    expect((await periodByIndex(db, { ...f, index: 1 })).status).toBe("open");

    const notes = await db.select().from(notifications).where(and(eq(notifications.tenantId, f.tenantId), eq(notifications.kind, "invoice_issued")));
    expect(notes).toHaveLength(1);
    expect(notes[0].subject).toContain("INV-2026-000001");

    const again = await closeDuePeriods(db, { now, config: TEST_BILLING });
    expect(again.closed).toBe(0);
    expect(await db.select().from(invoices).where(eq(invoices.tenantId, f.tenantId))).toHaveLength(1);
  });

  it("usage that changes between the batch read and the write is billed: the close falls back to the locked path", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "ai-platform",
      plan: "standard",
      slug: "late-event",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-10T00:00:00Z"),
    });
    await putCounter(db, { ...f, metricCode: "api_calls", quantity: "100100" });
    let calls = 0;
    const run = await closeDuePeriods(db, {
      now: new Date("2026-02-01T00:00:00Z"),
      config: TEST_BILLING,
      beforeCommit: async () => {
        // First call: the fast path, after its batch read — an in-grace late event lands now.
        if (++calls === 1) await putCounter(db, { ...f, metricCode: "api_calls", quantity: "102100" });
      },
    });
    expect(run).toMatchObject({ closed: 1, failed: 0, paths: { fast: 0, locked: 1 } });
    const [inv] = await db.select().from(invoices).where(eq(invoices.tenantId, f.tenantId));
    expect(Number(inv.total).toFixed(2)).toBe("101.10"); // 99 + 2,100 × 0.001, the late event included
  });

  it("waits out the late-event grace before closing a period (USAGE_LATE_GRACE_MINUTES)", async () => {
    const db = t.db;
    const f = await createTenantWithSubscription(db, {
      catalog: "ai-platform",
      plan: "standard",
      slug: "grace-wait",
      anchorAt: new Date("2026-03-01T00:00:00Z"),
      now: new Date("2026-03-10T00:00:00Z"),
    });
    const config = { ...TEST_BILLING, lateGraceMinutes: 60 };
    const within = await closeDuePeriods(db, { now: new Date("2026-04-01T00:59:59.999Z"), config });
    expect(within.invoices.filter((i) => i.tenantId === f.tenantId)).toHaveLength(0);
    expect((await periodByIndex(db, { ...f, index: 0 })).status).toBe("open");
    const after = await closeDuePeriods(db, { now: new Date("2026-04-01T01:00:00Z"), config });
    expect(after.invoices.filter((i) => i.tenantId === f.tenantId)).toHaveLength(1);
    expect((await periodByIndex(db, { ...f, index: 0 })).status).toBe("closed");
  });
});
