/**
 * Applying planned events to the database. Fast path: one asynchronously committed statement
 * (INSERT_EVENTS_SQL), then the answers stored with a synchronous commit, which flushes the WAL past the
 * first and so makes the usage durable before it is acknowledged. Slow path: one ordinary transaction.
 */
import type { PricedPlan } from "@/lib/services/catalog/plan-versions";
import { limitCap } from "@/lib/domain/limits/evaluate-limit";
import { includedFor, limitFor } from "@/lib/domain/limits/limit-for";
import { thresholdsFor } from "@/lib/domain/limits/crossed-thresholds";
import { creditPools } from "@/lib/domain/catalog/lookup";
import { toDecimal } from "@/lib/domain/money";
import { buildAnswers, counterKey, type NewEvent, type UsageAnswer } from "@/lib/domain/usage/build-answers";
import type { PlannedEvent } from "@/lib/domain/usage/plan-event";
import { conflict } from "@/lib/http/errors";
import { EXISTING_EVENTS_SQL, INSERT_EVENTS_SQL, LOCK_COUNTERS_SQL, STORE_ANSWERS_SQL, type ExistingRow, type InsertRow } from "./ingest-sql";
import { eventError, type Ctx, type EventResult, type EventSlot, type IngestOutcome, type Slot } from "./ingest-types";
import type { Conn, SqlRunner } from "./sql-runner";

export function capsOf(priced: PricedPlan, codes: Iterable<string>): Map<string, string> {
  const caps = new Map<string, string>();
  for (const code of codes) {
    const limit = limitFor({ plan: priced.plan, code });
    if (limit.kind !== "hard" && limit.kind !== "soft_limit") continue;
    const cap = limitCap({ limit, included: includedFor({ plan: priced.plan, code }) ?? "unlimited" });
    if (cap !== null) caps.set(code, cap);
  }
  return caps;
}

export function targetCodes(slots: Slot[]): Set<string> {
  return new Set(slots.flatMap((s) => (s.kind === "event" ? s.event.targets.map((t) => t.code) : [])));
}

/** Parameters of INSERT_EVENTS_SQL for the request's events. */
function insertParams(ctx: Ctx, list: EventSlot[], strict: boolean, anchored: boolean): unknown[] {
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
      list.map((s, j) => ({
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
        response: anchored && j > 0 ? { in_batch: list[0].id, index: j } : null,
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
    if (rows.every((r) => storedAnswer(r) !== null)) break;
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
        results[i] = replay(storedAnswer(e) ?? replayFallback(e.id, s.event));
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

function storeParams(ctx: Ctx, fresh: NewEvent[], answers: UsageAnswer[], anchored: boolean): unknown[] {
  const rows = anchored ? [{ id: fresh[0].id, response: { batch_answers: answers } }] : fresh.map((f, j) => ({ id: f.id, response: answers[j] }));
  return [ctx.auth.tenantId, JSON.stringify(rows)];
}

export async function fastPath(conn: Conn, ctx: Ctx): Promise<IngestOutcome> {
  const list = ctx.slots.filter((s): s is EventSlot => s.kind === "event");
  let applied: Applied = { inserted: new Set(), totals: new Map(), untouched: new Map() };
  // All-or-nothing batches insert every event or none, so their answers can be stored on one row.
  const strict = ctx.kind === "batch" && !ctx.partial;
  const anchored = strict && list.length > 1;
  if (list.length > 0) {
    applied = readInsertRows(await conn.asyncStatement<InsertRow>(INSERT_EVENTS_SQL, insertParams(ctx, list, strict, anchored)));
  }
  const { outcome, fresh, answers } = await answer(conn, ctx, ctx.slots, applied);
  // A synchronous commit: flushes the WAL past the asynchronous commit above, so acknowledged usage is durable.
  if (fresh.length > 0) await conn.query(STORE_ANSWERS_SQL, storeParams(ctx, fresh, answers, anchored && fresh.length === list.length));
  return outcome;
}

export async function slowPath(sql: SqlRunner, ctx: Ctx): Promise<IngestOutcome> {
  const slots = [...ctx.slots];
  const caps = capsOf(ctx.priced, targetCodes(slots));
  if (ctx.partial && caps.size > 0) await admitUnderLock(sql, ctx, slots, caps);
  const list = slots.filter((s): s is EventSlot => s.kind === "event");
  let applied: Applied = { inserted: new Set(), totals: new Map(), untouched: new Map() };
  if (list.length > 0) applied = readInsertRows(await sql.query<InsertRow>(INSERT_EVENTS_SQL, insertParams(ctx, list, false, false)));
  const { outcome, fresh, answers } = await answer(sql, ctx, slots, applied);
  if (fresh.length > 0) await sql.query(STORE_ANSWERS_SQL, storeParams(ctx, fresh, answers, false));
  return outcome;
}

const asJson = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown> | null;

/** An event's first answer as stored: its own, or its slot in its batch's answers (see STORE_ANSWERS_SQL). */
function storedAnswer(row: ExistingRow): UsageAnswer | null {
  const own = asJson(row.response);
  if (own === null) return null;
  if (typeof own.in_batch === "string") {
    const batch = asJson(row.batch_response);
    return ((batch?.batch_answers as UsageAnswer[] | undefined)?.[own.index as number] ?? null) as UsageAnswer | null;
  }
  if (Array.isArray(own.batch_answers)) return (own.batch_answers[0] ?? null) as UsageAnswer | null;
  return own as unknown as UsageAnswer;
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
