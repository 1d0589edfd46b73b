"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { requireTenantRole } from "@/lib/auth/guards";
import { toAppError } from "@/lib/http/errors";
import { createApiKey, revokeApiKey } from "@/lib/services/api-keys/api-keys";

export type CreateKeyState =
  | { ok: true; key: string; prefix: string; name: string }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } }
  | null;

export type RevokeKeyState = { ok: true; message: string } | { ok: false; error: { code: string; message: string } } | null;

const formFields = (form: FormData) => Object.fromEntries([...form.entries()].filter(([k]) => !k.startsWith("$ACTION")));

const createInput = z.strictObject({
  name: z.string().trim().min(1, "Give the key a name").max(100, "At most 100 characters"),
});

/** Owners and admins create keys for their own tenant (from the session, never the form); shown once. */
export async function createApiKeyAction(_prev: CreateKeyState, form: FormData): Promise<CreateKeyState> {
  const { user, tenant } = await requireTenantRole("admin");
  const parsed = createInput.safeParse(formFields(form));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { code: "invalid_request", message: issue?.message ?? "Invalid input", fields: { name: issue?.message ?? "invalid" } } };
  }
  try {
    const key = await createApiKey(await getDb(), { tenantId: tenant.tenantId, name: parsed.data.name, createdBy: user.id });
    revalidatePath("/settings/api-keys");
    return { ok: true, key: key.key, prefix: key.prefix, name: key.name };
  } catch (err) {
    const e = toAppError(err);
    if (e.status >= 500) console.error("[meterline] API key creation failed:", err);
    return { ok: false, error: { code: e.code, message: e.message } };
  }
}

const revokeInput = z.strictObject({ keyId: z.uuid("Unknown key") });

/** Revocation is immediate: every request looks its key up, nothing is cached. */
export async function revokeApiKeyAction(_prev: RevokeKeyState, form: FormData): Promise<RevokeKeyState> {
  const { user, tenant } = await requireTenantRole("admin");
  const parsed = revokeInput.safeParse(formFields(form));
  if (!parsed.success) return { ok: false, error: { code: "invalid_request", message: "Unknown key" } };
  try {
    const r = await revokeApiKey(await getDb(), { tenantId: tenant.tenantId, keyId: parsed.data.keyId, actorUserId: user.id });
    revalidatePath("/settings/api-keys");
    return r.revoked ? { ok: true, message: "Key revoked. Requests using it are refused from now on." } : { ok: false, error: { code: "not_found", message: "That key is already revoked or does not exist." } };
  } catch (err) {
    const e = toAppError(err);
    if (e.status >= 500) console.error("[meterline] API key revocation failed:", err);
    return { ok: false, error: { code: e.code, message: e.message } };
  }
}
