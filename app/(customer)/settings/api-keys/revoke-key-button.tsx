"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { revokeApiKeyAction, type RevokeKeyState } from "./actions";

export function RevokeKeyButton({ keyId, label }: { keyId: string; label: string }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<RevokeKeyState, FormData>(revokeApiKeyAction, null);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Revoke ${label}`}>
          Revoke
        </Button>
      </DialogTrigger>
      <DialogContent title={`Revoke ${label}?`} description="Services using this key are refused (401) immediately. This cannot be undone.">
        <form action={action} className="space-y-4">
          <input type="hidden" name="keyId" value={keyId} />
          {state && !state.ok ? (
            <p role="alert" className="text-sm text-red-700">
              {state.error.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="danger" disabled={pending}>
              {pending ? "Revoking…" : "Revoke key"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
