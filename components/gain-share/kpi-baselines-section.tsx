/**
 * KPI baselines and measurements of one tenant, for operator admins: rendered on /admin/tenants/[id] and on
 * /admin/gain-share/tenants/[id]. A server component; its forms call the actions in app/admin/gain-share.
 */
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { getDb } from "@/db";
import { deleteBaselineAction, recordMeasurementAction, saveBaselineAction } from "@/app/admin/gain-share/actions";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { toDecimal } from "@/lib/domain/money";
import { formatMoney, formatNumber } from "@/lib/format";
import { baselinesInForce, listBaselines } from "@/lib/services/gain-share/baselines";
import { listMeasurements } from "@/lib/services/gain-share/measurements";
import { loadTenantContext } from "@/lib/services/gain-share/tenant-context";
import { BaselineDialog, DeleteBaselineButton } from "./baseline-form";
import { MeasurementForm } from "./measurement-form";

const MONTHS_SHOWN = 12;

function monthShort(periodMonth: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${periodMonth}T00:00:00Z`));
}

export async function KpiBaselinesSection({ tenantId }: { tenantId: string }) {
  await requireOperatorAdmin();
  const db = await getDb();
  const ctx = await loadTenantContext(db, tenantId).catch(() => null);
  if (!ctx) {
    return (
      <Card title="KPI baselines">
        <EmptyState title="No active subscription">KPIs come from the catalog of the tenant&apos;s plan.</EmptyState>
      </Card>
    );
  }
  const locale = ctx.tenant.locale;
  const currency = ctx.plan.currency;
  const kpis = ctx.catalog.kpis;
  if (kpis.length === 0) {
    return (
      <Card title="KPI baselines">
        <EmptyState title="No KPIs in this catalog">The {ctx.catalog.code} catalog defines no gain-share KPIs.</EmptyState>
      </Card>
    );
  }
  const now = new Date();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS_SHOWN, 1)).toISOString().slice(0, 10);
  const [baselines, measurements] = await Promise.all([listBaselines(db, tenantId), listMeasurements(db, { tenantId, since })]);
  const inForce = baselinesInForce(baselines, now.toISOString().slice(0, 10));
  const names = new Map(kpis.map((k) => [k.code, k.name]));
  const kpiOptions = kpis.map((k) => ({ code: k.code, name: k.name, unit: k.unit, direction: k.direction }));
  // Pivot: month → KPI → latest value.
  const months = [...new Set(measurements.map((m) => m.periodMonth))].sort().reverse();
  const cell = new Map<string, (typeof measurements)[number]>();
  for (const m of measurements) if (!cell.has(`${m.periodMonth}|${m.kpiCode}`)) cell.set(`${m.periodMonth}|${m.kpiCode}`, m);
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const unitLabel = (unit: string) => (unit === "%" ? "%" : unit);

  return (
    <div className="space-y-6">
      <Card
        title="KPI baselines"
        action={
          <BaselineDialog tenantId={tenantId} kpis={kpiOptions} currency={currency} defaultEffectiveFrom={`${lastMonth}-01`} action={saveBaselineAction} />
        }
      >
        {baselines.length === 0 ? (
          <EmptyState title="No baselines yet">Add a baseline per KPI before creating a gain-share run.</EmptyState>
        ) : (
          <Table caption="KPI baselines">
            <THead>
              <Th>KPI</Th>
              <Th numeric>Baseline</Th>
              <Th numeric>Value per unit</Th>
              <Th>Better when</Th>
              <Th>Effective from</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </THead>
            <TBody>
              {baselines.map((b) => {
                const current = inForce.get(b.kpiCode)?.id === b.id;
                const label = `${names.get(b.kpiCode) ?? b.kpiCode} baseline from ${b.effectiveFrom}`;
                return (
                  <tr key={b.id}>
                    <Td>
                      <span className="font-medium">{names.get(b.kpiCode) ?? b.kpiCode}</span>
                      {current ? <span className="ml-2 text-xs text-emerald-700">in force</span> : null}
                    </Td>
                    <Td numeric>
                      {formatNumber(b.baselineValue, locale, 4)} {unitLabel(b.unit)}
                    </Td>
                    <Td numeric>{formatMoney(b.valuePerUnit, currency, locale)}</Td>
                    <Td>{b.direction}</Td>
                    <Td>{b.effectiveFrom}</Td>
                    <Td className="whitespace-nowrap">
                      <BaselineDialog
                        tenantId={tenantId}
                        kpis={kpiOptions}
                        currency={currency}
                        defaultEffectiveFrom={b.effectiveFrom}
                        action={saveBaselineAction}
                        baseline={{
                          id: b.id,
                          kpi: b.kpiCode,
                          baseline_value: toDecimal(b.baselineValue).toFixed(),
                          unit: b.unit,
                          value_per_unit: toDecimal(b.valuePerUnit).toFixed(),
                          direction: b.direction,
                          effective_from: b.effectiveFrom,
                        }}
                      />
                      <DeleteBaselineButton tenantId={tenantId} baselineId={b.id} label={label} action={deleteBaselineAction} />
                    </Td>
                  </tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>

      <Card title="KPI measurements">
        <div className="space-y-5">
          <MeasurementForm
            tenantId={tenantId}
            defaultMonth={lastMonth}
            action={recordMeasurementAction}
            kpis={kpiOptions.map((k) => ({ ...k, unitInForce: inForce.get(k.code)?.unit ?? k.unit }))}
          />
          {months.length === 0 ? (
            <EmptyState title="No measurements in the last 12 months">Post them to POST /api/kpis or record them above.</EmptyState>
          ) : (
            <Table caption="KPI measurements by month">
              <THead>
                <Th>Month</Th>
                {kpis.map((k) => (
                  <Th key={k.code} numeric className="max-w-[8.5rem] whitespace-normal">
                    {k.name} ({unitLabel(inForce.get(k.code)?.unit ?? k.unit)})
                  </Th>
                ))}
              </THead>
              <TBody>
                {months.map((month) => (
                  <tr key={month}>
                    <Td className="font-medium">{monthShort(month, locale)}</Td>
                    {kpis.map((k) => {
                      const m = cell.get(`${month}|${k.code}`);
                      return (
                        <Td key={k.code} numeric>
                          {m ? (
                            <span title={`${m.source} · ${m.author}`}>{formatNumber(m.value, locale, 4)}</span>
                          ) : (
                            <span className="text-slate-400">—</span>
                          )}
                        </Td>
                      );
                    })}
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </div>
      </Card>
    </div>
  );
}
