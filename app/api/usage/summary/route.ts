import { getDb } from "@/db";
import { env } from "@/lib/env";
import { createUsageSummaryHandler } from "./handler";

export const dynamic = "force-dynamic";

export const GET = createUsageSummaryHandler({ getDb, rateLimitPerMinute: () => env().USAGE_RATE_LIMIT_PER_MINUTE });
