import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { catalogs, memberships, tenants, users } from "@/db/schema";
import { loadCatalog } from "@/catalogs";
import { syncCatalog } from "@/lib/services/catalog/sync-catalog";
import { createSubscription } from "@/lib/services/subscriptions/subscriptions";
import { hashPassword } from "@/lib/auth/password";

/** Syncs a catalog once per database (tests and seed share this). */
export async function ensureCatalog(db: Db, code: string) {
  const [existing] = await db.select({ code: catalogs.code }).from(catalogs).where(eq(catalogs.code, code));
  const result = await syncCatalog(db, loadCatalog(code));
  return { result, existed: Boolean(existing) };
}

export interface TenantFixture {
  tenantId: string;
  slug: string;
  subscriptionId: string;
  periodId: string;
  planVersionId: string;
}

/**
 * A tenant on `plan` of `catalog` with an active subscription whose open period contains `now`.
 * Used by the demo seed and by integration tests.
 */
export async function createTenantWithSubscription(
  db: Db,
  params: {
    catalog: string;
    plan: string;
    slug: string;
    name?: string;
    anchorAt: Date;
    now: Date;
    promotionCode?: string;
    taxRateCode?: string;
    locale?: string;
  },
): Promise<TenantFixture> {
  const { result } = await ensureCatalog(db, params.catalog);
  const plan = result.plans.find((p) => p.code === params.plan);
  if (!plan) throw new Error(`unknown plan ${params.plan} in ${params.catalog}`);
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({
        slug: params.slug,
        name: params.name ?? params.slug,
        locale: params.locale ?? "en-CA",
        taxRateCode: params.taxRateCode ?? null,
        billingEmail: `billing@${params.slug}.example`,
      })
      .returning();
    const { subscription, period } = await createSubscription(tx, {
      tenantId: tenant.id,
      planVersionId: plan.planVersionId,
      anchorAt: params.anchorAt,
      now: params.now,
      promotionCode: params.promotionCode,
    });
    return {
      tenantId: tenant.id,
      slug: tenant.slug,
      subscriptionId: subscription.id,
      periodId: period.id,
      planVersionId: plan.planVersionId,
    };
  });
}

/** A local-account user (scrypt-hashed password) with a role in a tenant. */
export async function createUser(
  db: Db,
  params: { email: string; name: string; password: string; tenantId?: string; role?: "owner" | "admin" | "member" },
) {
  const [user] = await db
    .insert(users)
    .values({ email: params.email, name: params.name, passwordHash: await hashPassword(params.password) })
    .returning();
  if (params.tenantId) {
    await db.insert(memberships).values({ tenantId: params.tenantId, userId: user.id, role: params.role ?? "member" });
  }
  return user;
}
