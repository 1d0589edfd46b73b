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

export type Statement = { text: string; params?: unknown[] };

/** A connection held for one request: prepared statements plus a pipelined asynchronous-commit transaction. */
export interface Conn extends SqlRunner {
  /**
   * `BEGIN; SET LOCAL synchronous_commit TO off; …statements; COMMIT`, pipelined in one round trip.
   * Row locks (hot counters) are released without waiting for the WAL flush; the caller must make its
   * answer durable with a later synchronous commit (which flushes the WAL up to and past this one) before
   * acknowledging. Throws the first statement error (the transaction is then rolled back).
   */
  asyncTx(statements: Statement[]): Promise<unknown[][]>;
}

export async function withConn<T>(db: Db, fn: (conn: Conn) => Promise<T>): Promise<T> {
  const c = clientOf(db);
  if (c.kind === "postgres") {
    const reserved = await c.client.reserve();
    try {
      const runner = pgRunner(reserved);
      return await fn({
        ...runner,
        async asyncTx(statements) {
          const sent = [
            reserved.unsafe("begin"),
            reserved.unsafe("set local synchronous_commit to off"),
            ...statements.map((s) => reserved.unsafe(s.text, s.params ?? [], { prepare: true })),
            reserved.unsafe("commit"),
          ];
          const settled = await Promise.allSettled(sent);
          const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
          if (failed) {
            // COMMIT of an aborted transaction rolls it back; make sure nothing is left open either way.
            await reserved.unsafe("rollback").catch(() => {});
            throw failed.reason;
          }
          return settled.slice(2, 2 + statements.length).map((r) => (r as PromiseFulfilledResult<unknown[]>).value);
        },
      });
    } finally {
      reserved.release();
    }
  }
  const lite = c.client;
  return fn({
    async query<T>(text: string, params: unknown[] = []) {
      return (await lite.query<T>(text, params)).rows;
    },
    async asyncTx(statements) {
      return lite.transaction(async (tx) => {
        const out: unknown[][] = [];
        for (const s of statements) out.push((await tx.query<unknown>(s.text, s.params ?? [])).rows);
        return out;
      });
    },
  });
}
