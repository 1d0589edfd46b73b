import { getDb } from "@/db";
import { env } from "@/lib/env";
import { createSnapshotsHandler } from "./handler";

export const dynamic = "force-dynamic";

export const POST = createSnapshotsHandler({ getDb, rateLimitPerMinute: () => env().USAGE_RATE_LIMIT_PER_MINUTE });
