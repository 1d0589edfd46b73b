import { cache } from "react";
import { cookies } from "next/headers";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { memberships, operatorAdmins, tenants, users } from "@/db/schema";
import { env } from "@/lib/env";
import type { AuthAdapter } from "./adapter";
import { localAdapter } from "./local-adapter";
import { supabaseAdapter } from "./supabase-adapter";

export type Role = "owner" | "admin" | "member";
export const ROLE_RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

export interface TenantMembership {
  tenantId: string;
  slug: string;
  name: string;
  locale: string;
  role: Role;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isOperatorAdmin: boolean;
  memberships: TenantMembership[];
}

export const ACTIVE_TENANT_COOKIE = "ml_tenant";

/** Supabase when it is configured, otherwise Meterline's own accounts. */
export function authAdapter(): AuthAdapter {
  return env().NEXT_PUBLIC_SUPABASE_URL ? supabaseAdapter : localAdapter;
}

/** The signed-in user with their memberships, once per request. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const identity = await authAdapter().currentIdentity();
  if (!identity) return null;
  const db = await getDb();
  let user: typeof users.$inferSelect | undefined;
  if (identity.userId) {
    [user] = await db.select().from(users).where(eq(users.id, identity.userId));
  } else if (identity.supabaseUserId) {
    [user] = await db.select().from(users).where(eq(users.supabaseUserId, identity.supabaseUserId));
    if (!user && identity.email) {
      // First Supabase sign-in of a user invited by email: link the accounts.
      [user] = await db
        .update(users)
        .set({ supabaseUserId: identity.supabaseUserId })
        .where(and(sql`lower(${users.email}) = lower(${identity.email})`, isNull(users.supabaseUserId)))
        .returning();
    }
  }
  if (!user) return null;
  const [admin] = await db.select().from(operatorAdmins).where(eq(operatorAdmins.userId, user.id));
  const rows = await db
    .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, locale: tenants.locale, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, user.id))
    .orderBy(tenants.name);
  return { id: user.id, email: user.email, name: user.name, isOperatorAdmin: Boolean(admin), memberships: rows };
});

/** The tenant the user is working in: the `ml_tenant` cookie if it names one of theirs, else the first. */
export async function activeMembership(user: SessionUser): Promise<TenantMembership | null> {
  const wanted = (await cookies()).get(ACTIVE_TENANT_COOKIE)?.value;
  return user.memberships.find((m) => m.slug === wanted) ?? user.memberships[0] ?? null;
}
