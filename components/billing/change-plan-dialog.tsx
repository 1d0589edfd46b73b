"use client";

/**
 * The plan-change confirmation: a Radix dialog showing the engine-priced difference (computed on the server
 * and passed in as formatted strings), confirmed through a server action.
 */
import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { ChangePlanState } from "@/app/(customer)/billing/plans/actions";

export interface ChangePlanChoice {
  planCode: string;
  displayName: string;
  kind: "upgrade" | "downgrade" | "cancel_scheduled";
  triggerLabel: string;
  summary: string;
  rows: { label: string; value: string; emphasis?: boolean }[];
  note: string;
}

export function ChangePlanDialog({
  choice,
  action,
}: {
  choice: ChangePlanChoice;
  action: (prev: ChangePlanState, form: FormData) => Promise<ChangePlanState>;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, null);
  useEffect(() => {
    if (state?.ok) setOpen(false);
  }, [state]);
  const title =
    choice.kind === "upgrade"
      ? `Upgrade to ${choice.displayName}`
      : choice.kind === "downgrade"
        ? `Switch to ${choice.displayName}`
        : `Keep your current plan`;
  return (
    <div>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button variant={choice.kind === "upgrade" ? "primary" : "secondary"} className="w-full">
            {choice.triggerLabel}
          </Button>
        </DialogTrigger>
        <DialogContent title={title} description={choice.summary}>
          <dl className="divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
            {choice.rows.map((r) => (
              <div key={r.label} className="flex items-baseline justify-between gap-4 px-3 py-2">
                <dt className="text-slate-600">{r.label}</dt>
                <dd className={`tabular text-right ${r.emphasis ? "font-semibold text-slate-900" : "text-slate-800"}`}>{r.value}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-3 text-sm text-slate-600">{choice.note}</p>
          {state && !state.ok ? (
            <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {state.error.message}
            </p>
          ) : null}
          <form action={formAction} className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <input type="hidden" name="planCode" value={choice.planCode} />
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : choice.kind === "upgrade" ? "Confirm upgrade" : choice.kind === "downgrade" ? "Schedule change" : "Keep current plan"}
            </Button>
          </form>
        </DialogContent>
      </Dialog>
      {state?.ok ? (
        <p role="status" className="mt-2 text-sm text-emerald-800">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
