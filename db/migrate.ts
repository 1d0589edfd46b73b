import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "./client";

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

// Any constant: every instance takes the same transaction-scoped advisory lock before migrating.
const MIGRATION_LOCK_ID = 727_274_001;

export function migrationsFolder(): string {
  return process.env.MIGRATIONS_DIR ?? path.join(process.cwd(), "drizzle");
}

/**
 * Applies the committed drizzle-kit migrations (drizzle/*.sql, in journal order) in ONE transaction that
 * first takes an advisory lock, so two instances starting at once serialize and the second finds nothing
 * to do. Records applied migrations in drizzle's own table, so drizzle-kit sees the same history.
 */
export async function runMigrations(db: Db): Promise<{ applied: string[] }> {
  const folder = migrationsFolder();
  const journal = JSON.parse(readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as Journal;
  const migrations = journal.entries.map((e) => {
    const text = readFileSync(path.join(folder, `${e.tag}.sql`), "utf8");
    return {
      tag: e.tag,
      when: e.when,
      hash: createHash("sha256").update(text).digest("hex"),
      statements: text.split("--> statement-breakpoint").map((s) => s.trim()).filter(Boolean),
    };
  });
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const done = await tx.execute(sql`select hash, created_at from drizzle.__drizzle_migrations`);
    const rows = (Array.isArray(done) ? done : (done as { rows: { hash: string; created_at: string | number }[] }).rows) as {
      hash: string;
      created_at: string | number;
    }[];
    const doneWhen = new Set(rows.map((r) => Number(r.created_at)));
    for (const m of migrations) {
      if (doneWhen.has(m.when)) continue;
      for (const statement of m.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${m.hash}, ${m.when})`);
      applied.push(m.tag);
    }
  });
  return { applied };
}
