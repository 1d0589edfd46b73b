import { describe, expect, it } from "vitest";
import type { DunningPolicy } from "../catalog";
import { nextDunningStep, type DunningEvent, type DunningState } from "./next-dunning-step";

const policy: DunningPolicy = { grace_days: 7, retry_days: [1, 3, 7], suspend_after_days: 14 };
const t0 = new Date("2027-03-01T00:00:00Z");
const day = (n: number) => new Date(t0.getTime() + n * 86_400_000);

describe("nextDunningStep", () => {
  it.each<[string, DunningState, DunningEvent, Date | null, number, Date, DunningState, number, string[], Date | null]>([
    // name, state, event, failedAt, attempts, now → state, attempts, actions, next check
    ["first failure starts grace", "ok", "payment_failed", null, 0, t0, "grace", 0, ["notify:payment_failed"], day(1)],
    ["ok stays ok on a tick", "ok", "tick", null, 0, t0, "ok", 0, [], null],
    ["nothing due yet", "grace", "tick", t0, 0, day(0.5), "grace", 0, [], day(1)],
    ["retry 1 after 1 day", "grace", "tick", t0, 0, day(1), "grace", 1, ["retry:1"], day(3)],
    ["a failed retry changes nothing", "grace", "payment_failed", t0, 1, day(1.1), "grace", 1, [], day(3)],
    ["retry 2 after 3 days", "grace", "tick", t0, 1, day(3), "grace", 2, ["retry:2"], day(7)],
    ["grace ends at 7 days with retry 3", "grace", "tick", t0, 2, day(7), "past_due", 3, ["notify:dunning_past_due", "retry:3"], day(14)],
    ["past due waits", "past_due", "tick", t0, 3, day(10), "past_due", 3, [], day(14)],
    ["suspended after 14 days", "past_due", "tick", t0, 3, day(14), "suspended", 3, ["notify:dunning_suspended"], null],
    ["suspended stays suspended on failure", "suspended", "payment_failed", t0, 3, day(20), "suspended", 3, [], null],
    ["payment recovers from suspended at once", "suspended", "payment_succeeded", t0, 3, day(20), "ok", 0, ["notify:payment_recovered"], null],
    ["payment recovers from grace", "grace", "payment_succeeded", t0, 1, day(2), "ok", 0, ["notify:payment_recovered"], null],
    ["payment while ok is quiet", "ok", "payment_succeeded", null, 0, t0, "ok", 0, [], null],
    // the cron was down for 20 days: jump to suspended, one retry now, check again at once for the next
    ["catching up after an outage", "grace", "tick", t0, 0, day(20), "suspended", 1, ["notify:dunning_past_due", "notify:dunning_suspended", "retry:1"], day(20)],
    ["never moves backwards", "past_due", "tick", t0, 3, day(2), "past_due", 3, [], day(14)],
  ])("%s", (_name, state, event, failedAt, attempts, now, nextState, nextAttempts, actions, nextCheck) => {
    const step = nextDunningStep({ state, event, failedAt, attempts, now, policy });
    expect(step.state).toBe(nextState);
    expect(step.attempts).toBe(nextAttempts);
    expect(step.actions.map((a) => (a.type === "notify" ? `notify:${a.template}` : `retry:${a.attempt}`))).toEqual(actions);
    expect(step.next_check_at?.toISOString() ?? null).toBe(nextCheck?.toISOString() ?? null);
  });

  it("walks a whole failure day by day: 3 retries, past_due on day 7, suspended on day 14", () => {
    let step = nextDunningStep({ state: "ok", event: "payment_failed", failedAt: null, attempts: 0, now: t0, policy });
    const log: string[] = [];
    for (let d = 1; d <= 15; d++) {
      step = nextDunningStep({ state: step.state, event: "tick", failedAt: step.failed_at, attempts: step.attempts, now: day(d), policy });
      for (const a of step.actions) log.push(`${d}:${a.type === "notify" ? a.template : `retry${a.attempt}`}`);
    }
    expect(log).toEqual(["1:retry1", "3:retry2", "7:dunning_past_due", "7:retry3", "14:dunning_suspended"]);
    expect(step.state).toBe("suspended");
  });
});
