import path from "node:path";
import { openDb, type DbHandle } from "@/db/client";
import { env } from "@/lib/env";

/**
 * The CLI's database: the same one the app uses (DATABASE_URL, else ./.data/pglite).
 * PGlite is single-process: stop `npm run dev` before running CLI commands against the embedded database.
 */
export function openCliDb(): Promise<DbHandle> {
  const e = env();
  return openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR ?? path.join(process.cwd(), ".data", "pglite") });
}
