import { operatorNav } from "@/components/nav-links";
import { AppShell } from "@/components/app-shell";
import { requireOperatorAdmin } from "@/lib/auth/guards";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  // Every admin page calls requireOperatorAdmin() itself too: a layout is not a security boundary.
  const user = await requireOperatorAdmin();
  return (
    <AppShell
      area="Operator console"
      nav={operatorNav}
      userEmail={user.email}
      switchLink={user.memberships.length > 0 ? { href: "/billing", label: "Customer billing" } : undefined}
    >
      {children}
    </AppShell>
  );
}
