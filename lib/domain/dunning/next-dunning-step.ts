/**
 * Dunning state machine (SPEC §8), pure. Time runs from the first failed payment (failedAt):
 *   ok ──payment_failed──▶ grace ──(grace_days)──▶ past_due ──(suspend_after_days)──▶ suspended
 * Retries are due at failedAt + retry_days[i] while not recovered; a successful payment returns to
 * ok at once from any state. States only move forward except through payment_succeeded.
 */
import type { DunningPolicy } from "../catalog/types";
import { addDays } from "../period";

export type DunningState = "ok" | "grace" | "past_due" | "suspended";
export type DunningEvent = "payment_failed" | "payment_succeeded" | "tick";

export type DunningAction =
  | { type: "retry_payment"; attempt: number }
  | { type: "notify"; template: "payment_failed" | "dunning_past_due" | "dunning_suspended" | "payment_recovered" };

export type DunningStep = {
  state: DunningState;
  /** When the current failure began (null when ok). */
  failed_at: Date | null;
  /** Retries performed (including the ones this step asks for). */
  attempts: number;
  actions: DunningAction[];
  /** When to look again (next retry or next state change); null when nothing is pending. */
  next_check_at: Date | null;
};

const ORDER: DunningState[] = ["ok", "grace", "past_due", "suspended"];

function stateByTime(failedAt: Date, now: Date, policy: DunningPolicy): DunningState {
  if (now.getTime() >= addDays(failedAt, policy.suspend_after_days).getTime()) return "suspended";
  if (now.getTime() >= addDays(failedAt, policy.grace_days).getTime()) return "past_due";
  return "grace";
}

export function nextDunningStep(params: {
  state: DunningState;
  event: DunningEvent;
  failedAt: Date | null;
  attempts: number;
  now: Date;
  policy: DunningPolicy;
}): DunningStep {
  const { event, now, policy } = params;

  if (event === "payment_succeeded") {
    const actions: DunningAction[] = params.state === "ok" ? [] : [{ type: "notify", template: "payment_recovered" }];
    return { state: "ok", failed_at: null, attempts: 0, actions, next_check_at: null };
  }
  if (params.state === "ok") {
    if (event === "tick") return { state: "ok", failed_at: null, attempts: 0, actions: [], next_check_at: null };
    // First failure: the clock starts now.
    return settle({ state: "grace", failedAt: now, attempts: 0, now, policy, actions: [{ type: "notify", template: "payment_failed" }] });
  }
  // Already dunning: a failed retry or a tick only advances the clock-driven state.
  const failedAt = params.failedAt ?? now;
  return settle({ state: params.state, failedAt, attempts: params.attempts, now, policy, actions: [] });
}

function settle(p: {
  state: DunningState;
  failedAt: Date;
  attempts: number;
  now: Date;
  policy: DunningPolicy;
  actions: DunningAction[];
}): DunningStep {
  const { failedAt, now, policy } = p;
  const actions = [...p.actions];
  const byTime = stateByTime(failedAt, now, policy);
  const state = ORDER.indexOf(byTime) > ORDER.indexOf(p.state) ? byTime : p.state;
  if (state !== p.state && state === "past_due") actions.push({ type: "notify", template: "dunning_past_due" });
  if (state !== p.state && state === "suspended") {
    if (p.state === "grace") actions.push({ type: "notify", template: "dunning_past_due" });
    actions.push({ type: "notify", template: "dunning_suspended" });
  }

  // At most one retry per step: the earliest one that is due.
  let attempts = p.attempts;
  const due = policy.retry_days[attempts];
  if (due !== undefined && now.getTime() >= addDays(failedAt, due).getTime()) {
    attempts += 1;
    actions.push({ type: "retry_payment", attempt: attempts });
  }

  const candidates: Date[] = [];
  const nextRetry = policy.retry_days[attempts];
  if (nextRetry !== undefined) candidates.push(addDays(failedAt, nextRetry));
  if (state === "grace") candidates.push(addDays(failedAt, policy.grace_days));
  if (state !== "suspended") candidates.push(addDays(failedAt, policy.suspend_after_days));
  const future = candidates.filter((d) => d.getTime() > now.getTime()).sort((a, b) => a.getTime() - b.getTime());
  // A retry due now but not yet issued (several overdue): check again immediately.
  const overdue = nextRetry !== undefined && addDays(failedAt, nextRetry).getTime() <= now.getTime();
  return {
    state,
    failed_at: failedAt,
    attempts,
    actions,
    next_check_at: overdue ? now : (future[0] ?? null),
  };
}
