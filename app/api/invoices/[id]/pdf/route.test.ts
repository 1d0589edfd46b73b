import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import type { SessionUser } from "@/lib/auth/session";
import { closeDuePeriods } from "@/lib/services/billing/close-periods";
import { listInvoices } from "@/lib/services/billing/invoice-queries";
import { TEST_BILLING } from "@/lib/services/billing/test-support";

let testDb: TestDb;
let sessionUser: SessionUser | null = null;
vi.mock("@/db", () => ({ getDb: async () => testDb.db }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => sessionUser }));

const { GET } = await import("./route");

function user(p: Partial<SessionUser> & { tenantIds?: string[] }): SessionUser {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    email: "u@example.com",
    name: "U",
    isOperatorAdmin: p.isOperatorAdmin ?? false,
    memberships: (p.tenantIds ?? []).map((tenantId) => ({ tenantId, slug: "s", name: "n", locale: "en-CA", role: "member" as const })),
  };
}

describe("GET /api/invoices/[id]/pdf", () => {
  let a: { tenantId: string; invoiceId: string; number: string };
  let b: { tenantId: string };
  beforeAll(async () => {
    testDb = await createTestDb("pglite");
    const fa = await createTenantWithSubscription(testDb.db, {
      catalog: "business-os",
      plan: "basic",
      slug: "pdf-a",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-05T00:00:00Z"),
    });
    const fb = await createTenantWithSubscription(testDb.db, {
      catalog: "business-os",
      plan: "basic",
      slug: "pdf-b",
      anchorAt: new Date("2026-01-01T00:00:00Z"),
      now: new Date("2026-01-05T00:00:00Z"),
    });
    await closeDuePeriods(testDb.db, { now: new Date("2026-02-01T00:00:00Z"), config: TEST_BILLING });
    const [inv] = await listInvoices(testDb.db, fa.tenantId);
    a = { tenantId: fa.tenantId, invoiceId: inv.id, number: inv.number };
    b = { tenantId: fb.tenantId };
  });
  afterAll(async () => testDb?.close());

  const get = (id: string) => GET(new Request(`http://test.local/api/invoices/${id}/pdf`), { params: Promise.resolve({ id }) });

  it("401 when signed out", async () => {
    sessionUser = null;
    expect((await get(a.invoiceId)).status).toBe(401);
  });

  it("a member of the invoice's tenant gets the PDF", async () => {
    sessionUser = user({ tenantIds: [a.tenantId] });
    const res = await get(a.invoiceId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(`${a.number}.pdf`);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("another tenant's member gets a 404, as for an unknown id", async () => {
    sessionUser = user({ tenantIds: [b.tenantId] });
    expect((await get(a.invoiceId)).status).toBe(404);
    expect((await get("00000000-0000-4000-8000-00000000dead")).status).toBe(404);
    expect((await get("../../etc/passwd")).status).toBe(404);
  });

  it("an operator admin gets any tenant's invoice", async () => {
    sessionUser = user({ isOperatorAdmin: true });
    expect((await get(a.invoiceId)).status).toBe(200);
  });
});
