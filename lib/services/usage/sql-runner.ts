import type { Db } from "@/db/client";

/**
 * A minimal raw-SQL runner over the app's driver (postgres-js or PGlite) for the ingestion hot path.
 * Drizzle's `execute` never prepares statements, and postgres-js then spends an extra round trip
 * describing every parameterised query; here statements are prepared once per connection.
 */
export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

interface PostgresJsLike {
  unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]>;
  begin<T>(fn: (sql: PostgresJsLike) => Promise<T>): Promise<T>;
}

interface PgliteLike {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  transaction<T>(fn: (tx: { query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }> }) => Promise<T>): Promise<T>;
}

function clientOf(db: Db): { kind: "postgres"; client: PostgresJsLike } | { kind: "pglite"; client: PgliteLike } {
  const client = (db as unknown as { $client: unknown }).$client;
  if (client && typeof (client as PostgresJsLike).unsafe === "function") return { kind: "postgres", client: client as PostgresJsLike };
  return { kind: "pglite", client: client as PgliteLike };
}

function pgRunner(sql: PostgresJsLike): SqlRunner {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return (await sql.unsafe(text, params, { prepare: true })) as T[];
    },
  };
}

/** Runs one statement outside a transaction (a single statement is atomic by itself). */
export function runnerOf(db: Db): SqlRunner {
  const c = clientOf(db);
  if (c.kind === "postgres") return pgRunner(c.client);
  const lite = c.client;
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return (await lite.query<T>(text, params)).rows;
    },
  };
}

/** One transaction; rolled back when `fn` throws. */
export async function inTransaction<T>(db: Db, fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
  const c = clientOf(db);
  if (c.kind === "postgres") return c.client.begin((sql) => fn(pgRunner(sql)));
  return c.client.transaction((tx) =>
    fn({
      async query<R>(text: string, params: unknown[] = []) {
        return (await tx.query<R>(text, params)).rows;
      },
    }),
  );
}

/** SQLSTATEs worth one more try: deadlock detected, serialization failure. */
export function isRetryableTxError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "40P01" || code === "40001";
}
