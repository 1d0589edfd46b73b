"use client";

/** An admin's KPI measurement for a month (source "console", author = the admin). */
import { useActionState, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import type { GainShareActionState } from "@/app/admin/gain-share/actions";
import type { KpiOption } from "./baseline-form";
import { ActionMessage, FormField, inputClasses } from "./form-field";

export function MeasurementForm({
  tenantId,
  kpis,
  defaultMonth,
  action,
}: {
  tenantId: string;
  kpis: (KpiOption & { unitInForce: string })[];
  defaultMonth: string;
  action: (prev: GainShareActionState, form: FormData) => Promise<GainShareActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const [kpiCode, setKpiCode] = useState(kpis[0]?.code ?? "");
  const kpi = kpis.find((k) => k.code === kpiCode);
  const id = useId();
  const fields = state && !state.ok ? state.error.fields ?? {} : {};
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="tenant_id" value={tenantId} />
      <div className="grid gap-3 sm:grid-cols-4">
        <FormField id={`${id}-kpi`} label="KPI" error={fields.kpi}>
          <select id={`${id}-kpi`} name="kpi" className={inputClasses} value={kpiCode} onChange={(e) => setKpiCode(e.target.value)}>
            {kpis.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id={`${id}-period`} label="Month" error={fields.period}>
          <input id={`${id}-period`} name="period" type="month" required defaultValue={defaultMonth} className={inputClasses} />
        </FormField>
        <FormField id={`${id}-value`} label="Value" error={fields.value}>
          <input id={`${id}-value`} name="value" inputMode="decimal" required className={inputClasses} />
        </FormField>
        <FormField id={`${id}-unit`} label="Unit" error={fields.unit}>
          <input id={`${id}-unit`} name="unit" required key={kpiCode} defaultValue={kpi?.unitInForce} className={inputClasses} />
        </FormField>
      </div>
      <ActionMessage state={state} />
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Saving…" : "Record measurement"}
      </Button>
    </form>
  );
}
