/**
 * The answers of newly accepted events and the alerts they fire, from the counters' totals after the
 * request. Each event sees the running total at its position in the request, so a batch answers event by
 * event exactly as if they had been posted one after another, and each threshold is crossed by one event.
 */
import type { Included, Limit, Plan } from "../catalog/types";
import { creditPools } from "../catalog/lookup";
import { thresholdsFor } from "../limits/crossed-thresholds";
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
  // Per-code plan facts, computed once per request (batches answer 1,000 events).
  type CodeInfo = { included: Included | null; amount: Decimal | null; levels: { code: string; percent: number; level: Decimal }[]; limit: Limit };
  const infos = new Map<string, CodeInfo>();
  const infoOf = (code: string): CodeInfo => {
    let info = infos.get(code);
    if (!info) {
      const included = includedFor({ plan, code });
      const amount = included === null || included === "unlimited" ? null : toDecimal(included);
      const levels =
        amount === null || amount.isZero()
          ? []
          : thresholdsFor({ plan, code })
              .map((t) => ({ code: t.code, percent: t.percent, level: amount.times(t.percent).dividedBy(100) }))
              .sort((a, b) => a.percent - b.percent);
      info = { included, amount, levels, limit: limitFor({ plan, code }) };
      infos.set(code, info);
    }
    return info;
  };
  const percentOf = (used: Decimal, amount: Decimal | null) =>
    amount === null || amount.isZero() ? null : used.dividedBy(amount).times(100).toDecimalPlaces(2).toFixed(2);
  const poolAmount = pool ? toDecimal(pool.included) : null;

  const parsed = new Map<string, Decimal>();
  const dec = (v: string) => {
    let d = parsed.get(v);
    if (!d) parsed.set(v, (d = toDecimal(v)));
    return d;
  };

  const alerts: AlertToRecord[] = [];
  const answers = events.map(({ id, periodId, event }) => {
    const fired: AlertFired[] = [];
    for (const t of event.targets) {
      const k = counterKey(periodId, t.code);
      const before = running.get(k)!;
      const after = before.plus(dec(t.billable));
      running.set(k, after);
      const info = infoOf(t.code);
      for (const l of info.levels) {
        if (!(before.lessThan(l.level) && after.greaterThanOrEqualTo(l.level))) continue;
        const a: AlertFired = { code: l.code, metric: t.code, threshold_percent: l.percent, used: after.toFixed(), included: info.amount!.toFixed() };
        fired.push(a);
        alerts.push({ ...a, periodId });
      }
    }
    const primaryUsed = running.get(counterKey(periodId, event.primary)) ?? new Decimal(0);
    const info = infoOf(event.primary);
    let remaining: string | null = null;
    if (pool && poolAmount) {
      const k = counterKey(periodId, pool.code);
      const used = running.get(k) ?? toDecimal(params.untouched.get(k) ?? "0");
      remaining = Decimal.max(0, poolAmount.minus(used)).toFixed();
    }
    const answer: UsageAnswer = {
      ok: true,
      event_id: id,
      duplicate: false,
      credits_burned: event.credits,
      remaining_credits: remaining,
      usage: { metric: event.primary, used: primaryUsed.toFixed(), included: info.included, percent: percentOf(primaryUsed, info.amount) },
      alerts: fired,
      limit:
        info.limit.kind === "none"
          ? null
          : { kind: info.limit.kind, status: info.amount !== null && primaryUsed.greaterThan(info.amount) ? "over_included" : "within" },
    };
    return answer;
  });
  return { answers, alerts };
}
