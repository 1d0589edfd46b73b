import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { AppError, conflict, paymentRequired, type FieldErrors } from "@/lib/http/errors";
import type { ApiKeyContext } from "@/lib/services/api-keys/authenticate-api-key";
import { loadPlanVersion, type PricedPlan } from "@/lib/services/catalog/plan-versions";
import { limitCap } from "@/lib/domain/limits/evaluate-limit";
import { includedFor, limitFor } from "@/lib/domain/limits/limit-for";
import { toDecimal } from "@/lib/domain/money";
import { buildAnswers, counterKey, type NewEvent, type UsageAnswer } from "@/lib/domain/usage/build-answers";
import { thresholdsFor } from "@/lib/domain/limits/crossed-thresholds";
import { planEvent, type EventRejection, type PlannedEvent } from "@/lib/domain/usage/plan-event";
import { creditPools } from "@/lib/domain/catalog/lookup";
import type { ParsedUsageRequest } from "./request-schema";
import { resolvePeriodFor } from "./resolve-period";
import {
  COUNTER_SQL,
  EXISTING_EVENTS_SQL,
  INSERT_EVENTS_SQL,
  LOCK_COUNTERS_SQL,
  markerOf,
  STORE_ANSWERS_SQL,
  type ExistingRow,
  type InsertRow,
} from "./ingest-sql";
import { inTransaction, isRetryableTxError, runnerOf, withConn, type Conn, type SqlRunner } from "./sql-runner";

export type EventError = { ok: false; idempotency_key: string | null; error: { code: string; message: string; fields?: FieldErrors } };
export type EventResult = UsageAnswer | EventError;

export type BatchAnswer = {
  ok: boolean;
  partial: boolean;
  results: EventResult[];
  totals: { received: number; accepted: number; duplicates: number; rejected: number; credits_burned: string };
};

export type IngestOutcome = { status: number; body: UsageAnswer | BatchAnswer };

export interface IngestOptions {
  now: Date;
  graceMinutes: number;
}

type Slot =
  | { kind: "error"; error: EventError; status: number }
  | { kind: "event"; event: PlannedEvent; id: string; periodId: string; hash: string }
  /** The same key earlier in this request with the same body: answered like that one. */
  | { kind: "repeat"; of: number };

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function eventError(key: string | null, e: { code: string; message: string; fields?: FieldErrors }): EventError {
  return { ok: false, idempotency_key: key, error: e };
}

function rejectionToError(key: string, r: EventRejection): EventError {
  return eventError(key, { code: r.code, message: `${r.field}: ${r.message}`, fields: { [r.field]: r.message } });
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

  // 2. Events at or after the open period's end belong to the next period (the invoice run may lag).
  for (const s of slots) {
    if (s.kind === "event" && s.event.afterOpenPeriod) {
      s.periodId = await resolvePeriodFor(db, { auth, plan: priced.plan, at: s.event.occurredAt });
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

type Ctx = { auth: ApiKeyContext; priced: PricedPlan; slots: Slot[]; partial: boolean; kind: "single" | "batch" };

function capsOf(priced: PricedPlan, codes: Iterable<string>): Map<string, string> {
  const caps = new Map<string, string>();
  for (const code of codes) {
    const limit = limitFor({ plan: priced.plan, code });
    if (limit.kind !== "hard" && limit.kind !== "soft_limit") continue;
    const cap = limitCap({ limit, included: includedFor({ plan: priced.plan, code }) ?? "unlimited" });
    if (cap !== null) caps.set(code, cap);
  }
  return caps;
}

type EventSlot = Extract<Slot, { kind: "event" }>;

function targetCodes(slots: Slot[]): Set<string> {
  return new Set(slots.flatMap((s) => (s.kind === "event" ? s.event.targets.map((t) => t.code) : [])));
}

/** Parameters of INSERT_EVENTS_SQL for the request's events. */
function insertParams(ctx: Ctx, list: EventSlot[], strict: boolean): unknown[] {
  const { auth, priced } = ctx;
  const sub = auth.subscription!;
  const codes = targetCodes(list);
  const caps = capsOf(priced, codes);
  const pool = creditPools(priced.plan)[0];
  const thresholds = [...codes].flatMap((code) => {
    const included = includedFor({ plan: priced.plan, code });
    if (included === null || included === "unlimited" || toDecimal(included).isZero()) return [];
    return thresholdsFor({ plan: priced.plan, code }).map((t) => ({
      code,
      percent: t.percent,
      name: t.code,
      level: toDecimal(included).times(t.percent).dividedBy(100).toFixed(),
      included: toDecimal(included).toFixed(),
    }));
  });
  return [
    auth.tenantId,
    sub.id,
    auth.keyId,
    JSON.stringify(
      list.map((s) => ({
        id: s.id,
        period_id: s.periodId,
        idempotency_key: s.event.idempotencyKey,
        event_type: s.event.eventType,
        metric_code: s.event.primary,
        quantity: s.event.quantity,
        billable_quantity: s.event.billableQuantity,
        credits: s.event.credits,
        occurred_at: s.event.occurredAt.toISOString(),
        properties: s.event.properties,
        body_hash: s.hash,
      })),
    ),
    JSON.stringify(list.flatMap((s) => s.event.targets.map((t) => ({ event_id: s.id, period_id: s.periodId, ...t })))),
    JSON.stringify(list.flatMap((s) => s.event.rollups.map((r) => ({ event_id: s.id, ...r })))),
    JSON.stringify([...caps].map(([code, cap]) => ({ code, cap }))),
    sub.period.id,
    JSON.stringify(pool ? [pool.code] : []),
    JSON.stringify(thresholds),
    strict ? "strict" : "lenient",
  ];
}

type Applied = { inserted: Set<string>; totals: Map<string, string>; untouched: Map<string, string> };

function readInsertRows(rows: InsertRow[]): Applied {
  const applied: Applied = { inserted: new Set(), totals: new Map(), untouched: new Map() };
  for (const r of rows) {
    if (r.k === "e") applied.inserted.add(r.p);
    else if (r.k === "c") applied.totals.set(counterKey(r.p, r.code!), r.v!);
    else if (r.k === "w") applied.untouched.set(counterKey(r.p, r.code!), r.v!);
  }
  return applied;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The stored events of keys the insert skipped. A repeat racing the first request can find its event
 * committed a moment before its answer is stored: wait for it briefly.
 */
async function existingFor(sql: SqlRunner, tenantId: string, keys: string[]): Promise<Map<string, ExistingRow>> {
  let rows: ExistingRow[] = [];
  for (let i = 0; i < 400; i++) {
    rows = await sql.query<ExistingRow>(EXISTING_EVENTS_SQL, [tenantId, JSON.stringify(keys)]);
    if (rows.every((r) => r.response !== null)) break;
    await sleep(5);
  }
  return new Map(rows.map((e) => [e.idempotency_key, e]));
}

/** Answers (or per-event errors) for everything in the request, given what the insert did. */
async function answer(sql: SqlRunner, ctx: Ctx, slots: Slot[], applied: Applied): Promise<{ outcome: IngestOutcome; fresh: NewEvent[]; answers: UsageAnswer[] }> {
  const { auth, priced } = ctx;
  const list = slots.filter((s): s is EventSlot => s.kind === "event");
  const results: (EventResult | undefined)[] = slots.map((s) => (s.kind === "error" ? s.error : undefined));
  const skipped = list.filter((s) => !applied.inserted.has(s.id));
  let duplicates = 0;
  if (skipped.length > 0) {
    // Keys the insert skipped already exist: replay their first answer, or refuse a different body.
    const byKey = await existingFor(sql, auth.tenantId, skipped.map((s) => s.event.idempotencyKey));
    for (const s of skipped) {
      const i = slots.indexOf(s);
      const e = byKey.get(s.event.idempotencyKey);
      if (e && e.body_hash === s.hash) {
        const stored = (typeof e.response === "string" ? JSON.parse(e.response) : e.response) as UsageAnswer | null;
        results[i] = replay(stored ?? replayFallback(e.id, s.event));
        duplicates++;
        continue;
      }
      const message = `idempotency_key "${s.event.idempotencyKey}" was already used with a different event; nothing was changed`;
      if (!ctx.partial) throw conflict(message, "idempotency_conflict");
      results[i] = eventError(s.event.idempotencyKey, { code: "idempotency_conflict", message });
    }
  }
  const fresh: NewEvent[] = list.filter((s) => applied.inserted.has(s.id)).map((s) => ({ id: s.id, periodId: s.periodId, event: s.event }));
  const { answers } = buildAnswers({ plan: priced.plan, events: fresh, totalsAfter: applied.totals, untouched: applied.untouched });
  const position = new Map(slots.map((s, i) => [s.kind === "event" ? s.id : `#${i}`, i]));
  for (const [j, f] of fresh.entries()) results[position.get(f.id)!] = answers[j];
  for (const [i, s] of slots.entries()) {
    if (s.kind !== "repeat") continue;
    const first = results[s.of];
    results[i] = first && first.ok ? { ...first, duplicate: true } : first;
    if (first?.ok) duplicates++;
  }
  const final = results.map((r) => r!);
  if (ctx.kind === "single") return { outcome: { status: 200, body: final[0] as UsageAnswer }, fresh, answers };
  const rejected = final.filter((r) => !r.ok).length;
  const creditsBurned = answers.reduce((sum, a) => sum.plus(toDecimal(a.credits_burned)), toDecimal(0)).toFixed();
  return {
    outcome: {
      status: 200,
      body: {
        ok: rejected === 0,
        partial: ctx.partial,
        results: final,
        totals: { received: slots.length, accepted: fresh.length, duplicates, rejected, credits_burned: creditsBurned },
      },
    },
    fresh,
    answers,
  };
}

function storeParams(ctx: Ctx, fresh: NewEvent[], answers: UsageAnswer[]): unknown[] {
  return [ctx.auth.tenantId, JSON.stringify(fresh.map((f, j) => ({ id: f.id, response: answers[j] })))];
}

async function fastPath(conn: Conn, ctx: Ctx): Promise<IngestOutcome> {
  const list = ctx.slots.filter((s): s is EventSlot => s.kind === "event");
  let applied: Applied = { inserted: new Set(), totals: new Map(), untouched: new Map() };
  if (list.length > 0) {
    const strict = ctx.kind === "batch" && !ctx.partial;
    const [rows] = await conn.asyncTx([{ text: INSERT_EVENTS_SQL, params: insertParams(ctx, list, strict) }]);
    applied = readInsertRows(rows as InsertRow[]);
  }
  const { outcome, fresh, answers } = await answer(conn, ctx, ctx.slots, applied);
  // A synchronous commit: flushes the WAL past the asynchronous commit above, so acknowledged usage is durable.
  if (fresh.length > 0) await conn.query(STORE_ANSWERS_SQL, storeParams(ctx, fresh, answers));
  return outcome;
}

async function slowPath(sql: SqlRunner, ctx: Ctx): Promise<IngestOutcome> {
  const slots = [...ctx.slots];
  const caps = capsOf(ctx.priced, targetCodes(slots));
  if (ctx.partial && caps.size > 0) await admitUnderLock(sql, ctx, slots, caps);
  const list = slots.filter((s): s is EventSlot => s.kind === "event");
  let applied: Applied = { inserted: new Set(), totals: new Map(), untouched: new Map() };
  if (list.length > 0) applied = readInsertRows(await sql.query<InsertRow>(INSERT_EVENTS_SQL, insertParams(ctx, list, false)));
  const { outcome, fresh, answers } = await answer(sql, ctx, slots, applied);
  if (fresh.length > 0) await sql.query(STORE_ANSWERS_SQL, storeParams(ctx, fresh, answers));
  return outcome;
}

/** The stored first answer with duplicate: true, fields in the documented order (jsonb reorders keys). */
function replay(a: UsageAnswer): UsageAnswer {
  return {
    ok: true,
    event_id: a.event_id,
    duplicate: true,
    credits_burned: a.credits_burned,
    remaining_credits: a.remaining_credits,
    usage: { metric: a.usage.metric, used: a.usage.used, included: a.usage.included, percent: a.usage.percent },
    alerts: a.alerts.map((x) => ({ code: x.code, metric: x.metric, threshold_percent: x.threshold_percent, used: x.used, included: x.included })),
    limit: a.limit ? { kind: a.limit.kind, status: a.limit.status } : null,
  };
}

function replayFallback(id: string, event: PlannedEvent): UsageAnswer {
  return {
    ok: true,
    event_id: id,
    duplicate: true,
    credits_burned: event.credits,
    remaining_credits: null,
    usage: { metric: event.primary, used: "0", included: null, percent: null },
    alerts: [],
    limit: null,
  };
}

/** Locks the capped counters, then admits events in order while their totals stay within the caps. */
async function admitUnderLock(sql: SqlRunner, ctx: Ctx, slots: Slot[], caps: Map<string, string>): Promise<void> {
  const { auth } = ctx;
  const sub = auth.subscription!;
  const keys = new Map<string, { period_id: string; code: string }>();
  for (const s of slots) {
    if (s.kind !== "event") continue;
    for (const t of s.event.targets) if (caps.has(t.code)) keys.set(counterKey(s.periodId, t.code), { period_id: s.periodId, code: t.code });
  }
  const locked = await sql.query<{ p: string; code: string; v: string }>(LOCK_COUNTERS_SQL, [auth.tenantId, sub.id, JSON.stringify([...keys.values()])]);
  const running = new Map(locked.map((r) => [counterKey(r.p, r.code), toDecimal(r.v)]));
  const candidates = slots.filter((s): s is Extract<Slot, { kind: "event" }> => s.kind === "event");
  const existing = await sql.query<ExistingRow>(EXISTING_EVENTS_SQL, [auth.tenantId, JSON.stringify(candidates.map((s) => s.event.idempotencyKey))]);
  const known = new Set(existing.map((e) => e.idempotency_key));
  for (const s of candidates) {
    if (known.has(s.event.idempotencyKey)) continue; // a repeat: answered from the stored event
    const over = s.event.targets.find((t) => {
      const cap = caps.get(t.code);
      if (cap === undefined) return false;
      return running.get(counterKey(s.periodId, t.code))!.plus(toDecimal(t.billable)).greaterThan(toDecimal(cap));
    });
    if (over) {
      const i = slots.indexOf(s);
      const soft = limitFor({ plan: ctx.priced.plan, code: over.code }).kind === "soft_limit";
      slots[i] = {
        kind: "error",
        status: soft ? 429 : 422,
        error: eventError(s.event.idempotencyKey, {
          code: soft ? "soft_limit_exceeded" : "hard_limit_exceeded",
          message: `usage of ${over.code} would pass its ${soft ? "soft " : "hard "}limit of ${caps.get(over.code)}`,
        }),
      };
      continue;
    }
    for (const t of s.event.targets) {
      const k = counterKey(s.periodId, t.code);
      if (running.has(k)) running.set(k, running.get(k)!.plus(toDecimal(t.billable)));
    }
  }
}
