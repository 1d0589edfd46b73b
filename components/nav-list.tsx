"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The area navigation; the current section is marked (aria-current) and underlined. */
export function NavList({ items, area }: { items: readonly { href: string; label: string }[]; area: string }) {
  const pathname = usePathname() ?? "";
  // The longest matching href is the current section (/billing must not win over /billing/usage).
  const current = items
    .filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label={`${area} navigation`} className="mx-auto max-w-6xl overflow-x-auto px-4 sm:px-6">
      <ul className="flex gap-1 text-sm">
        {items.map((item) => {
          const active = item.href === current;
          return (
            <li key={item.href} className="shrink-0">
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block whitespace-nowrap border-b-2 px-3 py-2 ${
                  active ? "border-brand-600 font-medium text-slate-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
