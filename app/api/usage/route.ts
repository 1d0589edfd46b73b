import { getDb } from "@/db";
import { env } from "@/lib/env";
import { createUsageHandler } from "./handler";

export const dynamic = "force-dynamic";

export const POST = createUsageHandler({
  getDb,
  graceMinutes: () => env().USAGE_LATE_GRACE_MINUTES,
  rateLimitPerMinute: () => env().USAGE_RATE_LIMIT_PER_MINUTE,
});
