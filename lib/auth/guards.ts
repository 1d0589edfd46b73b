import { forbidden, redirect } from "next/navigation";
import { activeMembership, getSessionUser, ROLE_RANK, type Role, type SessionUser, type TenantMembership } from "./session";

export interface TenantContext {
  user: SessionUser;
  tenant: TenantMembership;
  role: Role;
}

/**
 * Guards for pages, server actions and route handlers. Each one authenticates and authorizes on its own;
 * nothing relies on a proxy. Pages and actions: unauthenticated → /sign-in, unauthorized → 403.
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}

export async function requireTenantRole(min: Role = "member"): Promise<TenantContext> {
  const user = await requireUser();
  const tenant = await activeMembership(user);
  if (!tenant || ROLE_RANK[tenant.role] < ROLE_RANK[min]) forbidden();
  return { user, tenant, role: tenant.role };
}

export async function requireOperatorAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (!user.isOperatorAdmin) forbidden();
  return user;
}

/** For pages that serve both: a tenant member reading their own data, or an operator admin reading any. */
export async function requireTenantOrOperator(): Promise<{ user: SessionUser; tenant: TenantMembership | null }> {
  const user = await requireUser();
  const tenant = await activeMembership(user);
  if (!tenant && !user.isOperatorAdmin) forbidden();
  return { user, tenant };
}
