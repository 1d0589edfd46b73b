import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { tenants } from "@/db/schema";
import { createPlanCheckoutSession, createPortalSession } from "./checkout";
import { StripeStandIn } from "./testing/stripe-stand-in";
import { standInClient } from "./testing/billing-fixture";

describe("Checkout and Customer Portal against the stand-in", () => {
  let t: TestDb;
  let standIn: StripeStandIn;
  beforeAll(async () => {
    t = await createTestDb("pglite");
    standIn = await new StripeStandIn().start();
  });
  afterAll(async () => {
    await standIn?.stop();
    await t?.close();
  });

  it("creates the tenant's customer once, a setup-mode Checkout naming the plan, and a Portal session", async () => {
    const f = await createTenantWithSubscription(t.db, { catalog: "reliability-ai", plan: "STARTER", slug: "checkout", anchorAt: new Date("2026-01-01T00:00:00Z"), now: new Date("2026-01-05T00:00:00Z") });
    const stripe = standInClient(standIn);
    const session = await createPlanCheckoutSession(t.db, stripe, { tenantId: f.tenantId, planCode: "PRO", appUrl: "http://meterline.test", requestedBy: null });
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const [tenant] = await t.db.select().from(tenants).where(eq(tenants.id, f.tenantId));
    expect(tenant.stripeCustomerId).toMatch(/^cus_/);
    const call = standIn.callsTo("POST", /^\/v1\/checkout\/sessions$/).at(-1)!;
    expect(call.params).toMatchObject({
      mode: "setup",
      customer: tenant.stripeCustomerId,
      currency: "cad",
      success_url: "http://meterline.test/billing?checkout=success",
      metadata: { meterline_tenant_id: f.tenantId, meterline_plan_code: "PRO", meterline_subscription_id: f.subscriptionId },
    });
    const portal = await createPortalSession(t.db, stripe, { tenantId: f.tenantId, appUrl: "http://meterline.test" });
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect(standIn.callsTo("POST", /^\/v1\/billing_portal\/sessions$/).at(-1)!.params).toMatchObject({ customer: tenant.stripeCustomerId, return_url: "http://meterline.test/billing" });
    // One customer for the tenant, however many sessions.
    expect(standIn.callsTo("POST", /^\/v1\/customers$/)).toHaveLength(1);
    await expect(createPlanCheckoutSession(t.db, stripe, { tenantId: f.tenantId, planCode: "NOPE", appUrl: "x", requestedBy: null })).rejects.toThrow(/no plan NOPE/);
  });
});
