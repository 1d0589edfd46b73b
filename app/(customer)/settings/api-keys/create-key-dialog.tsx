"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { createApiKeyAction, type CreateKeyState } from "./actions";

/** "Create key" → name it → the full key, shown once, with a copy button. */
export function CreateKeyDialog() {
  const [open, setOpen] = useState(false);
  const [formKey, setFormKey] = useState(0);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setFormKey((k) => k + 1); // forget the shown key when the dialog closes
      }}
    >
      <DialogTrigger asChild>
        <Button>Create API key</Button>
      </DialogTrigger>
      <DialogContent title="Create an API key" description="Your services send usage with it. It is shown once: store it in your secret manager.">
        <CreateKeyForm key={formKey} />
      </DialogContent>
    </Dialog>
  );
}

function CreateKeyForm() {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createApiKeyAction, null);
  const [copied, setCopied] = useState(false);
  if (state?.ok) {
    return (
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          Key <strong>{state.name}</strong> created. Copy it now — Meterline stores only a hash and cannot show it again.
        </p>
        <div className="flex items-stretch gap-2">
          <code
            className="block flex-1 overflow-x-auto whitespace-nowrap rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
            aria-label="Your new API key"
            data-testid="new-api-key"
          >
            {state.key}
          </code>
          <Button
            variant="secondary"
            onClick={async () => {
              await navigator.clipboard.writeText(state.key);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
        <p className="text-xs text-slate-600">
          Send it as <code className="font-mono">Authorization: Bearer {state.prefix}…</code> to <code className="font-mono">POST /api/usage</code>.
        </p>
        <div className="flex justify-end">
          <DialogClose asChild>
            <Button variant="secondary">Done</Button>
          </DialogClose>
        </div>
      </div>
    );
  }
  const fieldError = state && !state.ok ? (state.error.fields?.name ?? state.error.message) : null;
  return (
    <form action={action} className="space-y-4" noValidate>
      <div>
        <label htmlFor="api-key-name" className="block text-sm font-medium text-slate-800">
          Name
        </label>
        <input
          id="api-key-name"
          name="name"
          required
          maxLength={100}
          placeholder="e.g. Production ingestion"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? "api-key-name-error" : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        {fieldError ? (
          <p id="api-key-name-error" role="alert" className="mt-1 text-sm text-red-700">
            {fieldError}
          </p>
        ) : null}
      </div>
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </div>
    </form>
  );
}
