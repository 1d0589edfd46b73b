"use server";

/**
 * Operator actions for gain-share: runs (create, approve, reject) and KPI baselines and measurements. Each
 * action authenticates the operator admin itself, parses strictly, calls one service and revalidates.
 */
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { getDb } from "@/db";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { toAppError, zodFields, type FieldErrors } from "@/lib/http/errors";
import type { GainShareActor } from "@/lib/services/gain-share/audit";
import { createBaseline, deleteBaseline, updateBaseline } from "@/lib/services/gain-share/baselines";
import { createGainShareRun } from "@/lib/services/gain-share/create-run";
import { decideGainShareRun } from "@/lib/services/gain-share/decide-run";
import { recordMeasurement } from "@/lib/services/gain-share/measurements";
import { baselineInputSchema, createRunSchema, decideRunSchema, measurementInputSchema } from "@/lib/services/gain-share/schemas";
import { z as zod } from "zod";

export type GainShareActionState = { ok: true; message: string } | { ok: false; error: { code: string; message: string; fields?: FieldErrors } } | null;

function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (!k.startsWith("$ACTION") && typeof v === "string") out[k] = v;
  return out;
}

async function operatorActor(): Promise<GainShareActor> {
  const user = await requireOperatorAdmin();
  return { kind: "operator_admin", userId: user.id, label: user.email };
}

function parse<S extends z.ZodType>(schema: S, data: unknown): { ok: true; data: z.output<S> } | { ok: false; state: GainShareActionState } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields = zodFields(parsed.error);
  return { ok: false, state: { ok: false, error: { code: "invalid_request", message: "Please correct the highlighted fields", fields } } };
}

function failure(err: unknown, what: string): GainShareActionState {
  const e = toAppError(err);
  if (e.status >= 500) console.error(`[meterline] ${what} failed:`, err);
  return { ok: false, error: { code: e.code, message: e.message, fields: e.fields } };
}

function revalidate(tenantId?: string) {
  revalidatePath("/admin/gain-share", "layout");
  revalidatePath("/billing/gain-share");
  if (tenantId) revalidatePath(`/admin/tenants/${tenantId}`);
}

export async function createRunAction(_prev: GainShareActionState, form: FormData): Promise<GainShareActionState> {
  const actor = await operatorActor();
  const p = parse(createRunSchema, formFields(form));
  if (!p.ok) return p.state;
  try {
    const run = await createGainShareRun(await getDb(), {
      tenantId: p.data.tenant_id,
      period: p.data.period,
      sharePercent: p.data.share_percent,
      actor,
      now: new Date(),
    });
    revalidate(p.data.tenant_id);
    return { ok: true, message: `Run for ${p.data.period} created: fee ${run.fee} ${run.currency}, pending approval.` };
  } catch (err) {
    return failure(err, "gain-share run");
  }
}

export async function decideRunAction(_prev: GainShareActionState, form: FormData): Promise<GainShareActionState> {
  const actor = await operatorActor();
  const p = parse(decideRunSchema, formFields(form));
  if (!p.ok) return p.state;
  try {
    const run = await decideGainShareRun(await getDb(), {
      tenantId: p.data.tenant_id,
      runId: p.data.run_id,
      decision: p.data.decision,
      comment: p.data.comment,
      actor,
      now: new Date(),
    });
    revalidate(p.data.tenant_id);
    return { ok: true, message: `Run ${run.status === "approved" ? "approved" : "rejected"}.` };
  } catch (err) {
    return failure(err, "gain-share decision");
  }
}

const tenantRef = zod.strictObject({ tenant_id: zod.uuid() });
const baselineRef = zod.strictObject({ tenant_id: zod.uuid(), baseline_id: zod.uuid() });

export async function saveBaselineAction(_prev: GainShareActionState, form: FormData): Promise<GainShareActionState> {
  const actor = await operatorActor();
  const { tenant_id, baseline_id, ...rest } = formFields(form);
  const ref = parse(baseline_id ? baselineRef : tenantRef, baseline_id ? { tenant_id, baseline_id } : { tenant_id });
  if (!ref.ok) return ref.state;
  const p = parse(baselineInputSchema, rest);
  if (!p.ok) return p.state;
  try {
    const db = await getDb();
    if (baseline_id) await updateBaseline(db, { tenantId: tenant_id, baselineId: baseline_id, input: p.data, actor });
    else await createBaseline(db, { tenantId: tenant_id, input: p.data, actor });
    revalidate(tenant_id);
    return { ok: true, message: `${p.data.kpi} baseline ${baseline_id ? "updated" : "added"}.` };
  } catch (err) {
    return failure(err, "KPI baseline");
  }
}

export async function deleteBaselineAction(_prev: GainShareActionState, form: FormData): Promise<GainShareActionState> {
  const actor = await operatorActor();
  const p = parse(baselineRef, formFields(form));
  if (!p.ok) return p.state;
  try {
    await deleteBaseline(await getDb(), { tenantId: p.data.tenant_id, baselineId: p.data.baseline_id, actor });
    revalidate(p.data.tenant_id);
    return { ok: true, message: "Baseline deleted." };
  } catch (err) {
    return failure(err, "KPI baseline delete");
  }
}

export async function recordMeasurementAction(_prev: GainShareActionState, form: FormData): Promise<GainShareActionState> {
  const actor = await operatorActor();
  const { tenant_id, ...rest } = formFields(form);
  const ref = parse(tenantRef, { tenant_id });
  if (!ref.ok) return ref.state;
  const p = parse(measurementInputSchema, rest);
  if (!p.ok) return p.state;
  try {
    const res = await recordMeasurement(await getDb(), { tenantId: tenant_id, input: p.data, source: "console", actor, now: new Date() });
    revalidate(tenant_id);
    return { ok: true, message: `${res.body.kpi} ${res.body.period} recorded: ${res.body.value} ${res.body.unit}.` };
  } catch (err) {
    return failure(err, "KPI measurement");
  }
}
