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
  unsafe(text: string, params?: unknown[], options?: { prepare: boolean }): Promise<unknown[]>;
  begin<T>(fn: (sql: PostgresJsLike) => Promise<T>): Promise<T>;
  reserve(): Promise<PostgresJsLike & { release(): void }>;
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

/** A connection held for one request. */
export interface Conn extends SqlRunner {
  /**
   * One statement committed asynchronously (synchronous_commit off): its row locks — hot counters, the
   * rate-limit window — are released without waiting for the WAL flush. The caller must make the effects
   * durable with a later synchronous commit on this connection (`query`), which flushes the WAL up to and
   * past this one, before acknowledging anything. A single statement is atomic: if it fails, none of it stays.
   */
  asyncStatement<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

const ASYNC_COMMIT = "set synchronous_commit to off";
const SYNC_COMMIT = "set synchronous_commit to on";

/**
 * Reserves a connection for `fn`. The SETs that switch commit modes are pipelined with the next statement
 * (postgres-js coalesces them into the same socket write), so switching costs no round trip; the
 * connection always goes back to the pool in the default (synchronous) mode.
 */
export async function withConn<T>(db: Db, fn: (conn: Conn) => Promise<T>): Promise<T> {
  const c = clientOf(db);
  if (c.kind === "postgres") {
    const reserved = await c.client.reserve();
    let asyncMode = false;
    const mode = (wantAsync: boolean) => {
      if (asyncMode === wantAsync) return;
      asyncMode = wantAsync;
      reserved.unsafe(wantAsync ? ASYNC_COMMIT : SYNC_COMMIT).catch(() => {});
    };
    try {
      return await fn({
        async query<R>(text: string, params: unknown[] = []) {
          mode(false);
          return (await reserved.unsafe(text, params, { prepare: true })) as R[];
        },
        async asyncStatement<R>(text: string, params: unknown[] = []) {
          mode(true);
          return (await reserved.unsafe(text, params, { prepare: true })) as R[];
        },
      });
    } finally {
      if (asyncMode) await reserved.unsafe(SYNC_COMMIT).catch(() => {});
      reserved.release();
    }
  }
  const lite = c.client;
  return fn({
    async query<R>(text: string, params: unknown[] = []) {
      return (await lite.query<R>(text, params)).rows;
    },
    async asyncStatement<R>(text: string, params: unknown[] = []) {
      return (await lite.query<R>(text, params)).rows;
    },
  });
}

/** One asynchronously committed statement with the mode reset pipelined behind it (one round trip). */
export async function asyncStatementOnce<T>(db: Db, text: string, params: unknown[]): Promise<T[]> {
  const c = clientOf(db);
  if (c.kind !== "postgres") return (await c.client.query<T>(text, params)).rows;
  const reserved = await c.client.reserve();
  try {
    const [, rows, reset] = await Promise.allSettled([
      reserved.unsafe(ASYNC_COMMIT),
      reserved.unsafe(text, params, { prepare: true }),
      reserved.unsafe(SYNC_COMMIT),
    ]);
    if (reset.status === "rejected") await reserved.unsafe(SYNC_COMMIT);
    if (rows.status === "rejected") throw rows.reason;
    return rows.value as T[];
  } finally {
    reserved.release();
  }
}
