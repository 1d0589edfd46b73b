import type { Db } from "@/db/client";
import { readJsonBody, withApiKey } from "@/lib/http/with-api-key";
import { recordSnapshot } from "@/lib/services/snapshots/record-snapshot";

/** POST /api/snapshots: a counted-metric snapshot for the key's tenant. */
export function createSnapshotsHandler(deps: { getDb: () => Promise<Db>; now?: () => Date; rateLimitPerMinute: () => number }) {
  return withApiKey(async (req, { auth, db, now }) => {
    const body = await readJsonBody(req);
    return Response.json(await recordSnapshot(db, auth, body, now));
  }, deps);
}
