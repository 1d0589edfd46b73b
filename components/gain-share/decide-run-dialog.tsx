"use client";

/** Approve or reject a run through a Radix dialog with a required comment; a lost race shows the 409 message. */
import { useActionState, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { GainShareActionState } from "@/app/admin/gain-share/actions";

export function DecideRunDialog({
  tenantId,
  runId,
  decision,
  summary,
  action,
}: {
  tenantId: string;
  runId: string;
  decision: "approved" | "rejected";
  /** e.g. "Titan Mining — March 2026, fee CA$10,125.00" */
  summary: string;
  action: (prev: GainShareActionState, form: FormData) => Promise<GainShareActionState>;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, null);
  const commentId = useId();
  const errorId = useId();
  useEffect(() => {
    if (state?.ok) setOpen(false);
  }, [state]);
  const approve = decision === "approved";
  const fieldError = state && !state.ok ? state.error.fields?.comment : undefined;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={approve ? "primary" : "secondary"} size="sm">
          {approve ? "Approve" : "Reject"}
        </Button>
      </DialogTrigger>
      <DialogContent
        title={approve ? "Approve gain-share run" : "Reject gain-share run"}
        description={approve ? `${summary}. The fee is added once to the tenant's next invoice.` : `${summary}. No fee is billed; a new run can supersede it.`}
      >
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="tenant_id" value={tenantId} />
          <input type="hidden" name="run_id" value={runId} />
          <input type="hidden" name="decision" value={decision} />
          <div>
            <label htmlFor={commentId} className="block text-sm font-medium text-slate-800">
              Comment
            </label>
            <textarea
              id={commentId}
              name="comment"
              required
              minLength={3}
              rows={3}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? errorId : undefined}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
              placeholder={approve ? "e.g. Checked against the plant's maintenance reports" : "e.g. Overtime figures are incomplete"}
            />
            {fieldError ? (
              <p id={errorId} className="mt-1 text-sm text-red-700">
                {fieldError}
              </p>
            ) : null}
          </div>
          {state && !state.ok && !fieldError ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
              {state.error.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" variant={approve ? "primary" : "danger"} disabled={pending}>
              {pending ? "Saving…" : approve ? "Approve run" : "Reject run"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
