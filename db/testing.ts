import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "./client";

export type TestDbKind = "pglite" | "postgres";

/** PGlite always; the real Postgres too when TEST_DATABASE_URL is set. */
export function testDbKinds(): TestDbKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export function hasRealPostgres(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL);
}

export interface TestDb extends DbHandle {
  url?: string;
}

/**
 * A fresh, migrated database: in-memory PGlite, or a new database created on the TEST_DATABASE_URL server
 * (dropped on close), so every test file starts from nothing.
 */
export async function createTestDb(kind: TestDbKind, options: { poolSize?: number } = {}): Promise<TestDb> {
  if (kind === "pglite") return openDb({ pgliteDir: "memory://" });
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `ml_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(base, name);
  const handle = await openDb({ url, poolSize: options.poolSize ?? 20 });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
