import { parseArgs } from "node:util";
import { CRON_JOBS, cronReportJson, isCronJob, runCronJob } from "@/lib/services/cron/jobs";
import { openCliDb } from "../db";
import { UsageError, type Command } from "./types";

export const cronCommand: Command = {
  name: "cron",
  usage: [`cron <${CRON_JOBS.join("|")}> [--batch <n>] [--once] [--now <ISO instant>]`],
  summary: "Runs a cron job in-process, the same code as GET /api/cron/<job>, batch after batch until nothing remains (--once: one batch).",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { batch: { type: "string" }, once: { type: "boolean" }, now: { type: "string" } },
      strict: true,
      allowPositionals: true,
    });
    const job = positionals[0];
    if (!job || positionals.length > 1 || !isCronJob(job)) throw new UsageError(`expected one job: ${CRON_JOBS.join(", ")}`);
    const batchSize = values.batch === undefined ? undefined : Number(values.batch);
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) throw new UsageError("--batch must be a positive integer");
    const now = values.now === undefined ? undefined : new Date(values.now);
    if (now && Number.isNaN(now.getTime())) throw new UsageError("--now must be an ISO 8601 instant");
    const handle = await openCliDb();
    try {
      let failed = false;
      for (let call = 1; ; call++) {
        const report = await runCronJob(handle.db, job, "cli", {
          batchSize,
          now,
          concurrency: handle.kind === "postgres" ? 4 : 1,
        });
        io.out(JSON.stringify(cronReportJson(report)));
        if (report.status !== "succeeded") failed = true;
        if (values.once || !report.hasMore || call >= 10_000) break;
      }
      return failed ? 1 : 0;
    } finally {
      await handle.close();
    }
  },
};
