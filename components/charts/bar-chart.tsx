"use client";

/**
 * A small Recharts bar chart for pre-aggregated, serializable series. Plot values are numbers (geometry
 * only); every label and tooltip shows the exact decimal string formatted on the server or with Intl.
 */
import { CHART_COLORS_STATIC as CHART_COLORS } from "./colors";
import { Bar, BarChart as RBarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface BarDatum {
  label: string;
  values: Record<string, number>;
}

export function BarChart({
  data,
  series,
  locale,
  stacked = false,
  height = 240,
  ariaLabel,
  reference,
}: {
  data: BarDatum[];
  series: { key: string; label: string }[];
  locale: string;
  stacked?: boolean;
  height?: number;
  ariaLabel: string;
  /** A horizontal line such as the included quantity. */
  reference?: { value: number; label: string };
}) {
  const rows = data.map((d) => ({ label: d.label, ...d.values }));
  const compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  const full = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  return (
    <div role="img" aria-label={ariaLabel} style={{ width: "100%", height }}>
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 520, height }}>
        <RBarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} minTickGap={12} />
          <YAxis tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={false} width={48} tickFormatter={(v: number) => compact.format(v)} />
          <Tooltip formatter={(v) => full.format(Number(v))} cursor={{ fill: "#f1f5f9" }} />
          {reference ? (
            <ReferenceLine y={reference.value} stroke="#b91c1c" strokeDasharray="4 4" label={{ value: reference.label, position: "insideTopRight", fill: "#991b1b", fontSize: 12 }} />
          ) : null}
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId={stacked ? "a" : undefined} fill={CHART_COLORS[i % CHART_COLORS.length]} radius={stacked ? 0 : [3, 3, 0, 0]} isAnimationActive={false} />
          ))}
        </RBarChart>
      </ResponsiveContainer>
    </div>
  );
}
