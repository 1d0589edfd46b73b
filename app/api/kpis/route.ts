import { getDb } from "@/db";
import { env } from "@/lib/env";
import { createKpiHandler } from "./handler";

export const dynamic = "force-dynamic";

export const POST = createKpiHandler({ getDb, rateLimitPerMinute: () => env().USAGE_RATE_LIMIT_PER_MINUTE });
