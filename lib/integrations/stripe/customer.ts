import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tenants } from "@/db/schema";
import type { Stripe } from "./client";

/**
 * The tenant's Stripe customer, created once. The create call carries an idempotency key derived from the
 * tenant id, and the id is stored only where none is stored yet, so two concurrent callers end with one
 * customer (the unique index on tenants.stripe_customer_id backs this up).
 */
export async function ensureStripeCustomer(db: DbOrTx, stripe: Stripe, tenantId: string): Promise<string> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`tenant ${tenantId} not found`);
  if (tenant.stripeCustomerId) return tenant.stripeCustomerId;
  const customer = await stripe.customers.create(
    {
      name: tenant.name,
      email: tenant.billingEmail ?? undefined,
      preferred_locales: [tenant.locale],
      metadata: { meterline_tenant_id: tenant.id, meterline_tenant_slug: tenant.slug },
    },
    { idempotencyKey: `meterline-customer-${tenant.id}` },
  );
  await db
    .update(tenants)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(tenants.id, tenant.id), isNull(tenants.stripeCustomerId)));
  const [after] = await db.select({ id: tenants.stripeCustomerId }).from(tenants).where(eq(tenants.id, tenant.id));
  return after?.id ?? customer.id;
}

/** The tenant that owns a Stripe customer id, if any. */
export async function tenantIdForCustomer(db: DbOrTx, customerId: string | null | undefined): Promise<string | null> {
  if (!customerId) return null;
  const [row] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.stripeCustomerId, customerId));
  return row?.id ?? null;
}
