import Link from "next/link";

/** "Parent / Current" navigation above a detail page. */
export function Breadcrumb({ parent, current }: { parent: { href: string; label: string }; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <Link href={parent.href} className="text-brand-700 underline underline-offset-2">
        {parent.label}
      </Link>
      <span aria-hidden="true" className="px-1 text-slate-500">/</span>
      <span className="text-slate-700">{current}</span>
    </nav>
  );
}
