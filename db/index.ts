import path from "node:path";
import { env } from "@/lib/env";
import { openDb, type Db, type DbHandle } from "./client";

export type { Db, DbOrTx, Tx } from "./client";

interface DbGlobal {
  __meterlineDb?: Promise<DbHandle>;
}
const g = globalThis as DbGlobal;

/**
 * The app's database: PGlite in ./.data (a demo database, seeded on first start) unless DATABASE_URL is
 * set. Cached on globalThis so dev reloads and route bundles share one client (PGlite runs one query at a
 * time; the postgres driver keeps one pool).
 */
export function getDbHandle(): Promise<DbHandle> {
  g.__meterlineDb ??= (async () => {
    const e = env();
    const handle = await openDb({
      url: e.DATABASE_URL,
      pgliteDir: e.PGLITE_DIR ?? path.join(process.cwd(), ".data", "pglite"),
      poolSize: e.DATABASE_POOL_SIZE,
    });
    if (handle.kind === "pglite") {
      const { ensureDemoData } = await import("./seed/ensure-demo-data");
      await ensureDemoData(handle.db, { catalog: e.CATALOG });
    }
    return handle;
  })().catch((err) => {
    g.__meterlineDb = undefined;
    throw err;
  });
  return g.__meterlineDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
