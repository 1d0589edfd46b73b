"use client";

/** Add or edit a KPI baseline (in a Radix dialog). Units and directions default to the catalog's KPI. */
import { useActionState, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { GainShareActionState } from "@/app/admin/gain-share/actions";
import { ActionMessage, FormField, inputClasses } from "./form-field";

export interface KpiOption {
  code: string;
  name: string;
  unit: string;
  direction: "higher" | "lower";
}

export interface BaselineValues {
  id: string;
  kpi: string;
  baseline_value: string;
  unit: string;
  value_per_unit: string;
  direction: "higher" | "lower";
  effective_from: string;
}

export function BaselineDialog({
  tenantId,
  kpis,
  currency,
  baseline,
  defaultEffectiveFrom,
  action,
}: {
  tenantId: string;
  kpis: KpiOption[];
  currency: string;
  baseline?: BaselineValues;
  defaultEffectiveFrom: string;
  action: (prev: GainShareActionState, form: FormData) => Promise<GainShareActionState>;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, null);
  const [kpiCode, setKpiCode] = useState(baseline?.kpi ?? kpis[0]?.code ?? "");
  const kpi = kpis.find((k) => k.code === kpiCode);
  const id = useId();
  useEffect(() => {
    if (state?.ok) setOpen(false);
  }, [state]);
  const fields = state && !state.ok ? state.error.fields ?? {} : {};
  const kpiName = kpis.find((k) => k.code === baseline?.kpi)?.name ?? baseline?.kpi;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={baseline ? "ghost" : "primary"} size="sm" aria-label={baseline ? `Edit ${kpiName} baseline from ${baseline.effective_from}` : undefined}>
          {baseline ? "Edit" : "Add baseline"}
        </Button>
      </DialogTrigger>
      <DialogContent title={baseline ? `Edit ${kpiName} baseline` : "Add a KPI baseline"} description="Improvement is measured against the baseline in force on a run's first day.">
        <form action={formAction} className="space-y-3">
          <input type="hidden" name="tenant_id" value={tenantId} />
          {baseline ? <input type="hidden" name="baseline_id" value={baseline.id} /> : null}
          <FormField id={`${id}-kpi`} label="KPI" error={fields.kpi}>
            <select id={`${id}-kpi`} name="kpi" className={inputClasses} value={kpiCode} onChange={(e) => setKpiCode(e.target.value)}>
              {kpis.map((k) => (
                <option key={k.code} value={k.code}>
                  {k.name} ({k.unit})
                </option>
              ))}
            </select>
          </FormField>
          <div className="grid gap-3 sm:grid-cols-2">
            <FormField id={`${id}-value`} label="Baseline value" error={fields.baseline_value}>
              <input id={`${id}-value`} name="baseline_value" inputMode="decimal" required defaultValue={baseline?.baseline_value} className={inputClasses} />
            </FormField>
            <FormField id={`${id}-unit`} label="Unit" error={fields.unit}>
              <input id={`${id}-unit`} name="unit" required key={kpiCode} defaultValue={baseline?.kpi === kpiCode ? baseline.unit : kpi?.unit} className={inputClasses} />
            </FormField>
            <FormField id={`${id}-vpu`} label={`Value per unit of improvement (${currency})`} error={fields.value_per_unit}>
              <input id={`${id}-vpu`} name="value_per_unit" inputMode="decimal" required defaultValue={baseline?.value_per_unit} className={inputClasses} />
            </FormField>
            <FormField id={`${id}-dir`} label="Better when" error={fields.direction}>
              <select id={`${id}-dir`} name="direction" key={kpiCode} defaultValue={baseline?.kpi === kpiCode ? baseline.direction : kpi?.direction} className={inputClasses}>
                <option value="higher">higher</option>
                <option value="lower">lower</option>
              </select>
            </FormField>
            <FormField id={`${id}-from`} label="Effective from" error={fields.effective_from}>
              <input id={`${id}-from`} name="effective_from" type="date" required defaultValue={baseline?.effective_from ?? defaultEffectiveFrom} className={inputClasses} />
            </FormField>
          </div>
          {state && !state.ok && Object.keys(fields).length === 0 ? <ActionMessage state={state} /> : null}
          {state && !state.ok && Object.keys(fields).length > 0 ? <p role="alert" className="sr-only">{state.error.message}</p> : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save baseline"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function DeleteBaselineButton({
  tenantId,
  baselineId,
  label,
  action,
}: {
  tenantId: string;
  baselineId: string;
  label: string;
  action: (prev: GainShareActionState, form: FormData) => Promise<GainShareActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="tenant_id" value={tenantId} />
      <input type="hidden" name="baseline_id" value={baselineId} />
      <Button type="submit" variant="ghost" size="sm" disabled={pending} aria-label={`Delete ${label}`}>
        Delete
      </Button>
      {state && !state.ok ? <span role="alert" className="text-sm text-red-700">{state.error.message}</span> : null}
    </form>
  );
}
