import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { NavList } from "./nav-list";

export function AppShell({
  area,
  nav,
  userEmail,
  context,
  switchLink,
  children,
}: {
  area: string;
  nav: readonly { href: string; label: string }[];
  userEmail: string;
  context?: string;
  switchLink?: { href: string; label: string };
  children: React.ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
            Meterline
          </Link>
          <span className="hidden text-sm text-slate-500 sm:inline">{area}</span>
          {context ? <span className="truncate text-sm font-medium text-slate-800">{context}</span> : null}
          <div className="ml-auto flex items-center gap-3 text-sm">
            {switchLink ? (
              <Link href={switchLink.href} className="rounded-md px-2 py-1 text-brand-700 hover:bg-brand-50">
                {switchLink.label}
              </Link>
            ) : null}
            <span className="hidden text-slate-600 md:inline">{userEmail}</span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-slate-700 hover:bg-slate-50">
                Sign out
              </button>
            </form>
          </div>
        </div>
        <NavList items={nav} area={area} />
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6">
        {children}
      </main>
    </div>
  );
}
