"use client";

/**
 * Savings per KPI as bars (green saves, red costs). Bar heights are numbers for geometry only; the labels
 * and tooltips show the exact amounts formatted on the server.
 */
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface SavingsDatum {
  kpi: string;
  label: string;
  /** Plot value (geometry only). */
  value: number;
  /** Exact savings, formatted in the tenant's currency and locale. */
  formatted: string;
}

export function SavingsChart({ data, locale, ariaLabel }: { data: SavingsDatum[]; locale: string; ariaLabel: string }) {
  const compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  const byLabel = new Map(data.map((d) => [d.label, d.formatted]));
  return (
    <div role="img" aria-label={ariaLabel} style={{ width: "100%", height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} interval={0} />
          <YAxis tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={false} width={56} tickFormatter={(v: number) => compact.format(v)} />
          <ReferenceLine y={0} stroke="#94a3b8" />
          <Tooltip formatter={(_v, _n, item) => [byLabel.get((item?.payload as SavingsDatum | undefined)?.label ?? "") ?? "", "Savings"]} cursor={{ fill: "#f1f5f9" }} />
          <Bar dataKey="value" name="Savings" isAnimationActive={false} radius={[3, 3, 0, 0]}>
            {data.map((d) => (
              <Cell key={d.kpi} fill={d.value < 0 ? "#b91c1c" : "#047857"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
