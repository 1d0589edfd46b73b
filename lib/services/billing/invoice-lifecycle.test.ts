import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { auditLog, invoiceLines, invoices } from "@/db/schema";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { renderInvoicePdf } from "@/lib/pdf/invoice-pdf";
import { closeDuePeriods } from "./close-periods";
import { getInvoice, getInvoiceForOperator, listInvoices } from "./invoice-queries";
import { invoicePdfOf } from "./invoice-pdf";
import { issueCreditNote, markUncollectible, recordOfflinePayment, voidInvoice } from "./invoice-lifecycle";
import { putCounter, TEST_BILLING } from "./test-support";

const admin = { userId: null, kind: "operator_admin" as const };

async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const parts: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    parts.push(content.items.map((i) => ("str" in i ? i.str : "")).join(" "));
  }
  return parts.join("\n");
}

describe.each(testDbKinds())("invoice lifecycle on %s", (kind) => {
  let t: TestDb;
  let seq = 0;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  async function issued(taxRateCode?: string) {
    const f = await createTenantWithSubscription(t.db, {
      catalog: "reliability-ai",
      plan: "PRO",
      slug: `life-${++seq}`,
      name: `Life ${seq} Ltd`,
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-05T00:00:00Z"),
      taxRateCode,
    });
    await putCounter(t.db, { ...f, metricCode: "credits", quantity: "1500000" });
    await closeDuePeriods(t.db, { now: new Date("2026-02-01T00:00:00Z"), config: TEST_BILLING });
    const [inv] = await listInvoices(t.db, f.tenantId);
    return { f, inv };
  }

  it("partial then full offline payment: open → paid; overpayment and paying a paid invoice are refused", async () => {
    const { inv } = await issued();
    expect(Number(inv.total)).toBe(10000); // 9,000 + 500,000 credits × 0.002
    await expect(recordOfflinePayment(t.db, { invoiceId: inv.id, amount: "10000.01", reference: "wire 1", actor: admin })).rejects.toThrow(/exceeds/);
    const part = await recordOfflinePayment(t.db, { invoiceId: inv.id, amount: "4000", reference: "wire 1", actor: admin });
    expect(part.invoice).toMatchObject({ status: "open" });
    expect(Number(part.invoice.amountPaid)).toBe(4000);
    const rest = await recordOfflinePayment(t.db, { invoiceId: inv.id, amount: "6000.00", reference: "wire 2", actor: admin });
    expect(rest.invoice.status).toBe("paid");
    await expect(recordOfflinePayment(t.db, { invoiceId: inv.id, amount: "1", reference: "x", actor: admin })).rejects.toThrow(/paid/);
    await expect(voidInvoice(t.db, { invoiceId: inv.id, reason: "x", actor: admin })).rejects.toThrow();
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, inv.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["invoice.payment_recorded", "invoice.payment_recorded"]);
  });

  it("void and uncollectible transitions; amounts that a currency cannot hold are refused", async () => {
    const a = await issued();
    await expect(recordOfflinePayment(t.db, { invoiceId: a.inv.id, amount: "1.001", reference: "r", actor: admin })).rejects.toThrow(/decimals/);
    const unc = await markUncollectible(t.db, { invoiceId: a.inv.id, reason: "gone", actor: admin });
    expect(unc.status).toBe("uncollectible");
    const voided = await voidInvoice(t.db, { invoiceId: a.inv.id, reason: "written off", actor: admin });
    expect(voided.status).toBe("void");
    await expect(markUncollectible(t.db, { invoiceId: a.inv.id, reason: "x", actor: admin })).rejects.toThrow(/void/);
  });

  it("a credit note is its own numbered document; the original's lines never change", async () => {
    const { f, inv } = await issued("HST_ON");
    const before = await t.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, inv.id)).orderBy(asc(invoiceLines.position));
    const partial = await issueCreditNote(t.db, { invoiceId: inv.id, amount: "100.00", reason: "SLA credit", actor: admin, config: TEST_BILLING });
    expect(partial.creditNote).toMatchObject({ kind: "credit_note", creditNoteForId: inv.id, status: "paid" });
    expect(Number(partial.creditNote.total)).toBe(-100);
    expect(partial.creditNote.number).toMatch(/^INV-\d{4}-\d{6}$/);
    await expect(issueCreditNote(t.db, { invoiceId: inv.id, amount: "99999", reason: "too much", actor: admin, config: TEST_BILLING })).rejects.toThrow(/exceeds/);
    const after = await t.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, inv.id)).orderBy(asc(invoiceLines.position));
    expect(after).toEqual(before);
    const [orig] = await t.db.select().from(invoices).where(eq(invoices.id, inv.id));
    expect([orig.total, orig.subtotal, orig.tax]).toEqual([inv.total, inv.subtotal, inv.tax]);
    // Paying the balance (total − credit) settles it.
    const balance = (Number(inv.total) - 100).toFixed(2);
    const paid = await recordOfflinePayment(t.db, { invoiceId: inv.id, amount: balance, reference: "cheque", actor: admin });
    expect(paid.invoice.status).toBe("paid");
    const detail = await getInvoice(t.db, f.tenantId, inv.id);
    expect(detail!.related.map((r) => r.number)).toEqual([partial.creditNote.number]);
    expect(detail!.payments).toHaveLength(1);
  });

  it("a full credit note negates every line and settles an open invoice; tenant scoping holds", async () => {
    const a = await issued("HST_ON");
    const b = await issued();
    const full = await issueCreditNote(t.db, { invoiceId: a.inv.id, reason: "billed in error", actor: admin, config: TEST_BILLING });
    expect(Number(full.creditNote.total)).toBe(-Number(a.inv.total));
    expect(full.invoice.status).toBe("paid");
    expect(await getInvoice(t.db, b.f.tenantId, a.inv.id)).toBeNull();
    expect(await getInvoice(t.db, a.f.tenantId, "not-a-uuid")).toBeNull();
    expect((await getInvoiceForOperator(t.db, a.inv.id))!.invoice.id).toBe(a.inv.id);
  });

  it("the PDF's text holds the operator, customer, number, lines and total", async () => {
    const { f, inv } = await issued("HST_ON");
    const detail = await getInvoice(t.db, f.tenantId, inv.id);
    const { bytes, filename } = await invoicePdfOf(detail!);
    expect(filename).toBe(`${inv.number}.pdf`);
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe("%PDF-");
    const text = await pdfText(bytes);
    expect(text).toContain(inv.number);
    expect(text).toContain("11,300.00"); // 10,000 + 13 % HST
    expect(text).toContain(detail!.tenant.name);
    expect(text).toContain("OPEN");
    expect(text).toMatch(/HST/);
  });
});

describe("invoice PDF rendering", () => {
  it("spills long invoices onto more pages and survives characters the standard fonts lack", async () => {
    const bytes = await renderInvoicePdf({
      operator: { name: "Opérateur Ltée", address: "1 Rue Ω" },
      customer: { name: "客户 Corp", email: null },
      invoice: {
        number: "INV-2026-000777",
        kind: "period",
        status: "open",
        currency: "JPY",
        issuedAt: new Date("2026-02-01T00:00:00Z"),
        dueAt: null,
        periodStart: new Date("2026-01-01T00:00:00Z"),
        periodEnd: new Date("2026-02-01T00:00:00Z"),
        planCode: null,
        subtotal: "1200000",
        discount: "0",
        tax: "0",
        total: "1200000",
        amountPaid: "0",
      },
      lines: Array.from({ length: 80 }, (_, i) => ({ description: `Line ${i + 1} × medium`, quantity: "1", unitAmount: "15000", amount: "15000" })),
    });
    const text = await pdfText(bytes);
    expect(text).toContain("1,200,000");
    expect(text).toContain("Line 80");
    expect(text).toContain("page 2 of");
    expect(text).toContain("Opérateur");
  });
});
