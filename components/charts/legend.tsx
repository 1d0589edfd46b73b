import { CHART_COLORS_STATIC } from "./colors";

/** A static legend (server-rendered) so colours are explained without JavaScript. */
export function ChartLegend({ series }: { series: { key: string; label: string }[] }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
      {series.map((s, i) => (
        <li key={s.key} className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: CHART_COLORS_STATIC[i % CHART_COLORS_STATIC.length] }} />
          {s.label}
        </li>
      ))}
    </ul>
  );
}
