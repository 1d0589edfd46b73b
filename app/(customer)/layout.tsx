import { customerNav } from "@/components/nav-links";
import { AppShell } from "@/components/app-shell";
import { requireTenantRole } from "@/lib/auth/guards";

export default async function CustomerLayout({ children }: { children: React.ReactNode }) {
  // Pages check again on their own: a layout is not a security boundary.
  const { user, tenant } = await requireTenantRole("member");
  return (
    <AppShell
      area="Billing"
      nav={customerNav}
      userEmail={user.email}
      context={tenant.name}
      switchLink={user.isOperatorAdmin ? { href: "/admin", label: "Operator console" } : undefined}
    >
      {children}
    </AppShell>
  );
}
