import { desc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { automationRuns } from "@/db/schema";

export type JobTrigger = "cron" | "cli" | "test" | "admin";
export type JobCounts = Record<string, number>;
export type JobError = { item?: string; message: string };

/** What a job body reports: counts of what it did, per-item errors it survived, and whether more remains. */
export interface JobOutcome {
  counts: JobCounts;
  errors?: JobError[];
  hasMore?: boolean;
}

export interface JobReport extends Required<JobOutcome> {
  runId: string;
  job: string;
  trigger: JobTrigger;
  status: "succeeded" | "failed" | "partial";
  startedAt: Date;
  finishedAt: Date;
}

/**
 * Runs one batch job and logs it as an automation run (visible in /admin/automation): a "running" row is
 * written first so a crash leaves a trace; the end state, counts and errors are written when it returns.
 * A body that throws is logged as failed and rethrown. Item errors the body survived make it "partial".
 */
export async function runJob(
  db: Db,
  job: string,
  trigger: JobTrigger,
  fn: (ctx: { runId: string }) => Promise<JobOutcome>,
): Promise<JobReport> {
  const [run] = await db.insert(automationRuns).values({ job, trigger }).returning();
  try {
    const outcome = await fn({ runId: run.id });
    const errors = outcome.errors ?? [];
    const status = errors.length > 0 ? "partial" : "succeeded";
    const finishedAt = new Date();
    await db
      .update(automationRuns)
      .set({ status, finishedAt, counts: outcome.counts, errors, hasMore: outcome.hasMore ? 1 : 0 })
      .where(eq(automationRuns.id, run.id));
    return {
      runId: run.id,
      job,
      trigger,
      status,
      startedAt: run.startedAt,
      finishedAt,
      counts: outcome.counts,
      errors,
      hasMore: Boolean(outcome.hasMore),
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db
      .update(automationRuns)
      .set({ status: "failed", finishedAt: new Date(), errors: [{ message: message.slice(0, 2000) }] })
      .where(eq(automationRuns.id, run.id));
    throw err;
  }
}

/** The most recent automation runs, newest first (the admin log). */
export async function listAutomationRuns(db: DbOrTx, params: { job?: string; limit?: number } = {}) {
  const q = db.select().from(automationRuns);
  const filtered = params.job ? q.where(eq(automationRuns.job, params.job)) : q;
  return filtered.orderBy(desc(automationRuns.startedAt)).limit(Math.min(params.limit ?? 100, 500));
}
