import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { AppError, paymentRequired, type FieldErrors } from "@/lib/http/errors";
import type { ApiKeyContext } from "@/lib/services/api-keys/authenticate-api-key";
import { loadPlanVersion, type PricedPlan } from "@/lib/services/catalog/plan-versions";
import { limitCap } from "@/lib/domain/limits/evaluate-limit";
import { includedFor, limitFor } from "@/lib/domain/limits/limit-for";
import { toDecimal } from "@/lib/domain/money";
import { planEvent } from "@/lib/domain/usage/plan-event";
import type { ParsedUsageRequest } from "./request-schema";
import { resolvePeriodFor } from "./resolve-period";
import { COUNTER_SQL, markerOf } from "./ingest-sql";
import { capsOf, fastPath, slowPath, targetCodes } from "./apply-events";
import { eventError, rejectionToError, type Ctx, type IngestOutcome, type Slot } from "./ingest-types";
import { inTransaction, isRetryableTxError, runnerOf, withConn } from "./sql-runner";

export type { BatchAnswer, EventError, EventResult, IngestOutcome } from "./ingest-types";

export interface IngestOptions {
  now: Date;
  graceMinutes: number;
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/**
 * Ingests one event or a batch for the key's tenant: validation → one transaction that inserts the events
 * (idempotently), moves counters and rollups, enforces limits atomically, stores the answers and fires
 * alerts → the answers.
 */
export async function ingestUsage(db: Db, auth: ApiKeyContext, request: ParsedUsageRequest, options: IngestOptions): Promise<IngestOutcome> {
  const sub = auth.subscription;
  if (!sub) throw paymentRequired("This tenant has no active subscription", "no_active_subscription");
  if (sub.dunningState === "suspended") {
    throw paymentRequired("The subscription is suspended for non-payment; usage is not accepted until it is paid", "subscription_suspended");
  }
  const priced = await loadPlanVersion(db, sub.planVersionId);
  const partial = request.kind === "batch" && request.partial;
  const parsed = request.kind === "single" ? [request.event] : request.events;

  // 1. Validate and plan every event (pure).
  const slots: Slot[] = [];
  const firstByKey = new Map<string, number>();
  for (const [i, p] of parsed.entries()) {
    const prefix = request.kind === "batch" ? `events[${i}].` : "";
    if (!p.ok) {
      slots.push({ kind: "error", status: 400, error: eventError(null, { code: "invalid_event", message: p.message, fields: p.fields }) });
      continue;
    }
    const planned = planEvent({
      catalog: priced.catalog,
      plan: priced.plan,
      event: p.event,
      now: options.now,
      openPeriod: sub.period,
      graceMinutes: options.graceMinutes,
    });
    if (!planned.ok) {
      const r = planned.error;
      slots.push({ kind: "error", status: r.status, error: rejectionToError(p.event.idempotency_key, { ...r, field: prefix + r.field }) });
      continue;
    }
    const hash = sha256(planned.event.canonical);
    const earlier = firstByKey.get(planned.event.idempotencyKey);
    if (earlier !== undefined) {
      const first = slots[earlier];
      if (first.kind === "event" && first.hash === hash) slots.push({ kind: "repeat", of: earlier });
      else {
        slots.push({
          kind: "error",
          status: 409,
          error: eventError(planned.event.idempotencyKey, {
            code: "idempotency_conflict",
            message: `${prefix}idempotency_key: "${planned.event.idempotencyKey}" is used twice in this request with different contents`,
          }),
        });
      }
      continue;
    }
    firstByKey.set(planned.event.idempotencyKey, slots.length);
    slots.push({ kind: "event", event: planned.event, id: randomUUID(), periodId: sub.period.id, hash });
  }

  const errors = slots.filter((s): s is Extract<Slot, { kind: "error" }> => s.kind === "error");
  if (errors.length > 0 && !partial) throw requestError(errors, request.kind === "single");

  // 2. Events billed at or after the open period's end belong to the next period (the invoice run may lag).
  for (const s of slots) {
    if (s.kind === "event" && s.event.afterOpenPeriod) {
      s.periodId = await resolvePeriodFor(db, { auth, plan: priced.plan, at: s.event.billedAt });
    }
  }

  // 3. Apply. Fast path: one pipelined asynchronous-commit transaction, then the answers stored with a
  //    synchronous commit (which also makes the events durable) before anything is acknowledged.
  //    Slow path (all-or-nothing batches that contain repeats, partial batches against a cap): one
  //    ordinary transaction that can decide everything before committing.
  const ctx: Ctx = { auth, priced, slots, partial, kind: request.kind };
  const slow = partial && capsOf(priced, targetCodes(slots)).size > 0;
  for (let attempt = 1; ; attempt++) {
    try {
      if (!slow) return await withConn(db, (conn) => fastPath(conn, ctx));
      return await inTransaction(db, (sql) => slowPath(sql, ctx));
    } catch (err) {
      const marker = markerOf(err);
      if (marker?.kind === "limit") throw await limitError(db, auth, priced, marker, options.now);
      if (marker?.kind === "skipped") {
        return await inTransaction(db, (sql) => slowPath(sql, ctx));
      }
      if (attempt < 4 && isRetryableTxError(err)) continue;
      throw err;
    }
  }
}

function requestError(errors: Extract<Slot, { kind: "error" }>[], single: boolean): AppError {
  const fields: FieldErrors = {};
  for (const e of errors) Object.assign(fields, e.error.error.fields ?? {});
  // Invalid input outranks a conflict, which outranks a refused timestamp.
  const worst = errors.find((e) => e.status === 400) ?? errors.find((e) => e.status === 409) ?? errors[0];
  const message = single ? worst.error.error.message : errors.map((e) => e.error.error.message).join("; ");
  const code = !single && worst.status === 400 ? "invalid_request" : worst.error.error.code;
  return new AppError(worst.status, code, message, Object.keys(fields).length ? fields : undefined);
}

async function limitError(db: Db, auth: ApiKeyContext, priced: PricedPlan, r: { periodId: string; code: string }, now: Date): Promise<AppError> {
  const limit = limitFor({ plan: priced.plan, code: r.code });
  const included = includedFor({ plan: priced.plan, code: r.code }) ?? "unlimited";
  const cap = limitCap({ limit, included });
  const [row] = await runnerOf(db).query<{ v: string }>(COUNTER_SQL, [auth.tenantId, r.periodId, r.code]);
  const used = toDecimal(row?.v ?? "0").toFixed();
  if (limit.kind === "soft_limit") {
    const end = auth.subscription!.period.end.getTime();
    const e = new AppError(
      429,
      "soft_limit_exceeded",
      `Usage of ${r.code} would pass its limit of ${cap} (${limit.percent}% of the ${included} included); ${used} used this period. ` +
        `Accepted again from the next billing period.`,
    );
    return new AppError(e.status, e.code, e.message, undefined, { "Retry-After": String(Math.max(1, Math.ceil((end - now.getTime()) / 1000))) });
  }
  return new AppError(422, "hard_limit_exceeded", `Usage of ${r.code} would pass its hard limit of ${cap}; ${used} used this period`);
}
