/**
 * One run's per-KPI breakdown: a table (the numbers, readable without JavaScript) and the savings chart.
 * Used by the customer's read-only page and the operator's queue.
 */
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { formatMoney, formatNumber } from "@/lib/format";
import type { Kpi } from "@/lib/domain/catalog/types";
import type { RunView } from "@/lib/services/gain-share/run-queries";
import { SavingsChart } from "./savings-chart";

function unitValue(value: string, unit: string, locale: string) {
  if (unit === "%") return `${formatNumber(value, locale, 4)} %`;
  if (/^[A-Z]{3}$/.test(unit)) return formatMoney(value, unit, locale);
  return `${formatNumber(value, locale, 4)} ${unit}`;
}

export function RunBreakdown({ run, kpis, locale, chart = true }: { run: RunView; kpis: Kpi[]; locale: string; chart?: boolean }) {
  const names = new Map(kpis.map((k) => [k.code, k]));
  const units = new Map(run.inputs.baselines.map((b) => [b.kpi, b.unit]));
  const money = (v: string) => formatMoney(v, run.currency, locale);
  const month = run.periodStart.slice(0, 7);
  return (
    <div className="space-y-4">
      <Table caption={`Savings per KPI, ${month}`}>
        <THead>
          <Th>KPI</Th>
          <Th>Better when</Th>
          <Th numeric>Baseline</Th>
          <Th numeric>Actual</Th>
          <Th numeric>Improvement</Th>
          <Th numeric>Value per unit</Th>
          <Th numeric>Savings</Th>
        </THead>
        <TBody>
          {run.breakdown.kpis.map((k) => {
            const unit = units.get(k.kpi) ?? names.get(k.kpi)?.unit ?? "";
            const negative = k.savings.startsWith("-");
            return (
              <tr key={k.kpi}>
                <Td>
                  <span className="font-medium">{names.get(k.kpi)?.name ?? k.kpi}</span>
                  <span className="block text-xs text-slate-500">{k.kpi}</span>
                </Td>
                <Td>{k.direction === "higher" ? "higher" : "lower"}</Td>
                <Td numeric>{unitValue(k.baseline, unit, locale)}</Td>
                <Td numeric>{unitValue(k.actual, unit, locale)}</Td>
                <Td numeric>{formatNumber(k.improvement, locale, 4)}</Td>
                <Td numeric>{money(k.value_per_unit)}</Td>
                <Td numeric className={negative ? "text-red-700" : "text-emerald-800"}>{money(k.savings)}</Td>
              </tr>
            );
          })}
        </TBody>
        <tfoot className="border-t border-slate-300 text-sm">
          <tr>
            <Td className="font-medium">Total savings</Td>
            <Td />
            <Td />
            <Td />
            <Td />
            <Td />
            <Td numeric className="font-semibold">{money(run.breakdown.total_savings)}</Td>
          </tr>
          <tr>
            <Td className="font-medium">Fee ({formatNumber(run.breakdown.share_percent, locale, 4)} % of positive savings)</Td>
            <Td />
            <Td />
            <Td />
            <Td />
            <Td />
            <Td numeric className="font-semibold">{money(run.fee)}</Td>
          </tr>
        </tfoot>
      </Table>
      {chart ? (
        <SavingsChart
          locale={locale}
          ariaLabel={`Bar chart of savings per KPI for ${month}; the table above lists the same figures`}
          data={run.breakdown.kpis.map((k) => ({
            kpi: k.kpi,
            label: names.get(k.kpi)?.name ?? k.kpi,
            value: Number(k.savings),
            formatted: money(k.savings),
          }))}
        />
      ) : null}
    </div>
  );
}
