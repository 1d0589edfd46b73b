"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { requireTenantRole } from "@/lib/auth/guards";
import { toAppError } from "@/lib/http/errors";
import { changePlan } from "@/lib/services/plan-change/change-plan";

export type ChangePlanState =
  | { ok: true; message: string }
  | { ok: false; error: { code: string; message: string } }
  | null;

const input = z.strictObject({ planCode: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose a plan") });

/** Owners and admins change the plan; the tenant comes from the session, never from the form. */
export async function changePlanAction(_prev: ChangePlanState, form: FormData): Promise<ChangePlanState> {
  const { user, tenant } = await requireTenantRole("admin");
  const parsed = input.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => !k.startsWith("$ACTION"))));
  if (!parsed.success) return { ok: false, error: { code: "invalid_request", message: parsed.error.issues[0]?.message ?? "Invalid input" } };
  try {
    const result = await changePlan(await getDb(), { tenantId: tenant.tenantId, planCode: parsed.data.planCode, actorUserId: user.id, now: new Date() });
    revalidatePath("/billing", "layout");
    const message =
      result.kind === "upgraded"
        ? `Upgraded to ${result.planCode}. The new plan applies to this whole period.`
        : result.kind === "scheduled"
          ? `Change to ${result.planCode} scheduled for ${result.effectiveAt.toISOString().slice(0, 10)}.`
          : `Scheduled change to ${result.planCode} canceled.`;
    return { ok: true, message };
  } catch (err) {
    const e = toAppError(err);
    if (e.status >= 500) console.error("[meterline] plan change failed:", err);
    return { ok: false, error: { code: e.code, message: e.message } };
  }
}
