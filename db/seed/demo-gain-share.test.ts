import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, type TestDb } from "@/db/testing";
import { invoiceLines, tenants } from "@/db/schema";
import { listTenantRuns } from "@/lib/services/gain-share/run-queries";
import { seedDemo } from "./demo";

const NOW = new Date("2026-11-21T15:00:00Z");

describe("demo gain-share (titan-mining)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("pglite");
    await seedDemo(t.db, { catalog: "reliability-ai", now: NOW });
  });
  afterAll(() => t.close());

  it("has a pending run for last month and an approved run billed once on a period invoice", async () => {
    const [titan] = await t.db.select().from(tenants).where(eq(tenants.slug, "titan-mining"));
    const runs = await listTenantRuns(t.db, titan.id);
    expect(runs.map((r) => [r.periodStart, r.status])).toEqual([
      ["2026-10-01", "pending_approval"],
      ["2026-07-01", "approved"],
    ]);
    const approved = runs[1];
    expect(Number(approved.fee)).toBeGreaterThan(0);
    expect(approved.decisionComment).toBeTruthy();
    expect(approved.invoiceNumber).toMatch(/^INV-2026-\d{6}$/);
    const lines = await t.db.select().from(invoiceLines).where(and(eq(invoiceLines.tenantId, titan.id), eq(invoiceLines.kind, "gain_share")));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ invoiceId: approved.invoicedInvoiceId, code: `gain_share:${approved.id}` });
    expect(Number(lines[0].amount)).toBe(Number(approved.fee));
    // The stored inputs name the baseline and the measurement of every KPI.
    expect(approved.inputs.baselines).toHaveLength(5);
    expect(approved.inputs.measurements.every((m) => m.period_month === "2026-07-01")).toBe(true);
  });
});
