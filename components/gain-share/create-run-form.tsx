"use client";

/** The operator's create-run form: tenant (only plans with gain-share), month, share % within the plan's range. */
import { useActionState, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import type { GainShareActionState } from "@/app/admin/gain-share/actions";
import { ActionMessage, FormField, inputClasses } from "./form-field";

export interface RunTenantOption {
  id: string;
  name: string;
  planCode: string;
  range: { min_percent: number; max_percent: number; default_percent: number };
}

export function CreateRunForm({
  tenants,
  defaultMonth,
  maxMonth,
  action,
}: {
  tenants: RunTenantOption[];
  defaultMonth: string;
  maxMonth: string;
  action: (prev: GainShareActionState, form: FormData) => Promise<GainShareActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const [tenantId, setTenantId] = useState(tenants[0]?.id ?? "");
  const tenant = tenants.find((t) => t.id === tenantId);
  const id = useId();
  const fields = state && !state.ok ? (state.error as { fields?: Record<string, string> }).fields ?? {} : {};
  return (
    <form action={formAction} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-3">
        <FormField id={`${id}-tenant`} label="Tenant" error={fields.tenant_id}>
          <select id={`${id}-tenant`} name="tenant_id" className={inputClasses} value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
            {tenants.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.planCode})
              </option>
            ))}
          </select>
        </FormField>
        <FormField id={`${id}-period`} label="Month" error={fields.period} hint="A month that has ended">
          <input id={`${id}-period`} name="period" type="month" required max={maxMonth} defaultValue={defaultMonth} className={inputClasses} />
        </FormField>
        <FormField
          id={`${id}-share`}
          label="Share %"
          error={fields.share_percent}
          hint={tenant ? `Plan range ${tenant.range.min_percent}–${tenant.range.max_percent} %` : undefined}
        >
          <input
            id={`${id}-share`}
            name="share_percent"
            inputMode="decimal"
            required
            key={tenantId}
            defaultValue={tenant ? String(tenant.range.default_percent) : ""}
            className={inputClasses}
            aria-describedby={fields.share_percent ? `${id}-share-error` : undefined}
          />
        </FormField>
      </div>
      <ActionMessage state={state} />
      <Button type="submit" disabled={pending || tenants.length === 0}>
        {pending ? "Computing…" : "Create run"}
      </Button>
    </form>
  );
}
