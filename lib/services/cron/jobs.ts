/**
 * The cron jobs, shared by the /api/cron/* routes and `npm run meterline -- cron <job>`: each call does one
 * bounded batch, is logged as an automation run, and says whether more remains.
 */
import type { Db } from "@/db/client";
import { runJob, type JobOutcome, type JobReport, type JobTrigger } from "@/lib/services/automation/run-job";
import { billingConfigFromEnv } from "@/lib/services/billing/billing-config";
import { closeDuePeriods } from "@/lib/services/billing/close-periods";
import type { BillingConfig } from "@/lib/services/billing/insert-invoice";
import { issueThresholdInvoices } from "@/lib/services/billing/threshold-invoices";
import { runStripeSyncJob } from "@/lib/integrations/stripe/sync/stripe-sync-job";
import { runDunningJob } from "@/lib/services/dunning/dunning-job";
import { takeSnapshots } from "./snapshots-job";

export const CRON_JOBS = ["snapshots", "invoices", "stripe-sync", "dunning"] as const;
export type CronJob = (typeof CRON_JOBS)[number];

export function isCronJob(name: string): name is CronJob {
  return (CRON_JOBS as readonly string[]).includes(name);
}

export interface CronOptions {
  now?: Date;
  batchSize?: number;
  /** Parallel transactions for the invoice close (Postgres only; PGlite runs one at a time). */
  concurrency?: number;
  config?: BillingConfig;
}

async function invoicesJob(db: Db, o: Required<Pick<CronOptions, "now" | "batchSize">> & CronOptions): Promise<JobOutcome> {
  const config = o.config ?? billingConfigFromEnv();
  const close = await closeDuePeriods(db, { now: o.now, batchSize: o.batchSize, concurrency: o.concurrency, config });
  // Threshold invoices only once period-ends are caught up (a period that ended is billed by its close).
  const threshold = close.hasMore
    ? null
    : await issueThresholdInvoices(db, { now: o.now, batchSize: o.batchSize, config });
  return {
    counts: {
      periods_closed: close.closed,
      periods_skipped: close.skipped,
      periods_failed: close.failed,
      threshold_scanned: threshold?.scanned ?? 0,
      threshold_issued: threshold?.issued ?? 0,
      threshold_failed: threshold?.failed ?? 0,
    },
    errors: [...close.errors, ...(threshold?.errors ?? [])],
    hasMore: close.hasMore || Boolean(threshold?.hasMore),
  };
}

export async function runCronJob(db: Db, job: CronJob, trigger: JobTrigger, options: CronOptions = {}): Promise<JobReport> {
  const now = options.now ?? new Date();
  const batchSize = Math.min(Math.max(1, options.batchSize ?? 200), 5000);
  return runJob(db, job, trigger, async () => {
    switch (job) {
      case "snapshots":
        return takeSnapshots(db, { now, batchSize });
      case "invoices":
        return invoicesJob(db, { ...options, now, batchSize });
      case "stripe-sync":
        return runStripeSyncJob(db, { now, batch: batchSize });
      case "dunning":
        return runDunningJob(db, { now, batch: batchSize });
    }
  });
}

/** The JSON a cron route answers. */
export function cronReportJson(report: JobReport) {
  return {
    ok: report.status !== "failed",
    job: report.job,
    run_id: report.runId,
    status: report.status,
    counts: report.counts,
    errors: report.errors,
    has_more: report.hasMore,
    started_at: report.startedAt.toISOString(),
    finished_at: report.finishedAt.toISOString(),
  };
}
