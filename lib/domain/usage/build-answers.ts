/**
 * The answers of newly accepted events and the alerts they fire, from the counters' totals after the
 * request. Each event sees the running total at its position in the request, so a batch answers event by
 * event exactly as if they had been posted one after another, and each threshold is crossed by one event.
 */
import type { Included, Limit, Plan } from "../catalog/types";
import { creditPools } from "../catalog/lookup";
import { creditBalance } from "../credits/credit-balance";
import { crossedThresholds, thresholdsFor } from "../limits/crossed-thresholds";
import { includedFor, limitFor } from "../limits/limit-for";
import { Decimal, toDecimal } from "../money";
import type { PlannedEvent } from "./plan-event";

export type AlertFired = { code: string; metric: string; threshold_percent: number; used: string; included: string };

export type UsageAnswer = {
  ok: true;
  event_id: string;
  duplicate: boolean;
  credits_burned: string;
  remaining_credits: string | null;
  usage: { metric: string; used: string; included: Included | null; percent: string | null };
  alerts: AlertFired[];
  limit: null | { kind: Exclude<Limit["kind"], "none">; status: "within" | "over_included" };
};

export type NewEvent = { id: string; periodId: string; event: PlannedEvent };

export type AlertToRecord = AlertFired & { periodId: string };

export const counterKey = (periodId: string, code: string) => `${periodId}|${code}`;

export function buildAnswers(params: {
  plan: Plan;
  events: NewEvent[];
  /** Billable totals after the request, per counterKey, for every counter the new events touched. */
  totalsAfter: Map<string, string>;
  /** Current billable totals of counters the request did not touch (the credit pool), per counterKey. */
  untouched: Map<string, string>;
}): { answers: UsageAnswer[]; alerts: AlertToRecord[] } {
  const { plan, events } = params;
  const running = new Map<string, Decimal>();
  // Start each counter at (total after − what this request added).
  const added = new Map<string, Decimal>();
  for (const e of events) {
    for (const t of e.event.targets) {
      const k = counterKey(e.periodId, t.code);
      added.set(k, (added.get(k) ?? new Decimal(0)).plus(toDecimal(t.billable)));
    }
  }
  for (const [k, sum] of added) {
    const after = params.totalsAfter.get(k);
    if (after === undefined) throw new Error(`no counter total for ${k}`);
    running.set(k, toDecimal(after).minus(sum));
  }
  const pool = creditPools(plan)[0];
  const alerts: AlertToRecord[] = [];
  const answers = events.map(({ id, periodId, event }) => {
    const fired: AlertFired[] = [];
    for (const t of event.targets) {
      const k = counterKey(periodId, t.code);
      const before = running.get(k)!;
      const after = before.plus(toDecimal(t.billable));
      running.set(k, after);
      const included = includedFor({ plan, code: t.code });
      if (included === null) continue;
      for (const th of crossedThresholds({ thresholds: thresholdsFor({ plan, code: t.code }), included, before, after })) {
        const a: AlertFired = {
          code: th.code,
          metric: t.code,
          threshold_percent: th.percent,
          used: after.toFixed(),
          included: toDecimal(included as string).toFixed(),
        };
        fired.push(a);
        alerts.push({ ...a, periodId });
      }
    }
    const primaryUsed = running.get(counterKey(periodId, event.primary)) ?? new Decimal(0);
    const included = includedFor({ plan, code: event.primary });
    const balance = included === null ? null : creditBalance({ included, used: primaryUsed });
    let remaining: string | null = null;
    if (pool) {
      const k = counterKey(periodId, pool.code);
      const used = running.get(k) ?? toDecimal(params.untouched.get(k) ?? "0");
      remaining = creditBalance({ included: pool.included, used }).remaining;
    }
    const limit = limitFor({ plan, code: event.primary });
    const answer: UsageAnswer = {
      ok: true,
      event_id: id,
      duplicate: false,
      credits_burned: event.credits,
      remaining_credits: remaining,
      usage: { metric: event.primary, used: primaryUsed.toFixed(), included, percent: balance?.percent ?? null },
      alerts: fired,
      limit:
        limit.kind === "none"
          ? null
          : {
              kind: limit.kind,
              status: included !== null && included !== "unlimited" && primaryUsed.greaterThan(toDecimal(included)) ? "over_included" : "within",
            },
    };
    return answer;
  });
  return { answers, alerts };
}
