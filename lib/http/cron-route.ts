import { getDb } from "@/db";
import { env } from "@/lib/env";
import { cronReportJson, runCronJob, type CronJob } from "@/lib/services/cron/jobs";
import { badRequest } from "./errors";
import { withCron } from "./with-cron";

/** GET /api/cron/<job>[?batch=N]: one bounded, logged batch; `has_more` tells the scheduler to call again. */
export function cronRoute(job: CronJob) {
  return withCron(async (request: Request) => {
    const raw = new URL(request.url).searchParams.get("batch");
    let batchSize: number | undefined;
    if (raw !== null) {
      batchSize = Number(raw);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw badRequest("batch must be an integer from 1 to 5000", { batch: "1..5000" });
    }
    const db = await getDb();
    const report = await runCronJob(db, job, "cron", { batchSize, concurrency: env().DATABASE_URL ? 4 : 1 });
    return Response.json(cronReportJson(report));
  });
}
