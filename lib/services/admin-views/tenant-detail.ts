/** One tenant as the operator sees it: subscription, members, keys, recent audit entries (operator-only reads). */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, auditLog, memberships, tenants, users } from "@/db/schema";
import { isUuid } from "@/lib/services/billing/invoice-queries";

export async function getTenantForAdmin(db: DbOrTx, tenantId: string) {
  if (!isUuid(tenantId)) return null;
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) return null;
  const [members, keys, audit] = await Promise.all([
    db
      .select({ email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenantId))
      .orderBy(memberships.createdAt),
    db
      .select({ active: sql<number>`count(*)::int` })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt))),
    db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(desc(auditLog.createdAt)).limit(20),
  ]);
  return { tenant, members, activeApiKeys: keys[0]?.active ?? 0, audit };
}
