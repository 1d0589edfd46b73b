import { desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { automationRuns } from "@/db/schema";

/** The latest automation runs (every cron job logs one), newest first; optionally one job only. */
export async function listAutomationRuns(db: DbOrTx, params: { job?: string; limit?: number } = {}) {
  return db
    .select()
    .from(automationRuns)
    .where(params.job ? eq(automationRuns.job, params.job) : undefined)
    .orderBy(desc(automationRuns.startedAt))
    .limit(Math.min(params.limit ?? 100, 500));
}

export async function listAutomationJobs(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ job: automationRuns.job }).from(automationRuns).orderBy(automationRuns.job);
  return rows.map((r) => r.job);
}
