/** A responsive data table: scrolls horizontally on narrow screens; numeric columns right-aligned. */
export function Table({ caption, children, captionHidden = true }: { caption: string; children: React.ReactNode; captionHidden?: boolean }) {
  return (
    <div className="relative -mx-1 overflow-x-auto px-1" role="region" aria-label={caption} tabIndex={0}>
      <table className="w-full min-w-max border-collapse text-left text-sm">
        <caption className={captionHidden ? "sr-only" : "mb-2 text-left text-sm font-medium text-slate-700"}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: React.ReactNode }) {
  return (
    <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600">
      <tr>{children}</tr>
    </thead>
  );
}

export function Th({ children, numeric = false, className = "" }: { children?: React.ReactNode; numeric?: boolean; className?: string }) {
  return (
    <th scope="col" className={`px-3 py-2 font-medium ${numeric ? "text-right" : ""} ${className}`}>
      {children}
    </th>
  );
}

export function TBody({ children }: { children: React.ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function Td({ children, numeric = false, className = "" }: { children?: React.ReactNode; numeric?: boolean; className?: string }) {
  return <td className={`px-3 py-2 align-top ${numeric ? "tabular text-right" : ""} ${className}`}>{children}</td>;
}
