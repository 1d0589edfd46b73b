import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDb, rowsOf } from "./client";
import { runMigrations } from "./migrate";
import { createTestDb, testDbKinds, type TestDb } from "./testing";

describe.each(testDbKinds())("migrations on %s", (kind) => {
  const dbs: TestDb[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.close();
  });

  it("applies cleanly and a second run is a no-op", async () => {
    const t = await createTestDb(kind);
    dbs.push(t);
    const again = await runMigrations(t.db);
    expect(again.applied).toEqual([]);
    const tables = rowsOf<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`),
    );
    expect(Number(tables[0].n)).toBeGreaterThanOrEqual(28);
  });

});

describe.runIf(testDbKinds().includes("postgres"))("migrations on two postgres instances", () => {
  it("two instances migrating one empty database at once serialize on the lock", async () => {
    const t = await createTestDb("postgres");
    // Drop everything the first migration made, then race two fresh pools at it.
    await t.db.execute(sql`drop schema public cascade`);
    await t.db.execute(sql`create schema public`);
    await t.db.execute(sql`drop schema drizzle cascade`);
    const [a, b] = await Promise.all([openDb({ url: t.url!, migrate: false }), openDb({ url: t.url!, migrate: false })]);
    try {
      const results = await Promise.all([runMigrations(a.db), runMigrations(b.db)]);
      const appliedCounts = results.map((r) => r.applied.length).sort();
      expect(appliedCounts[0]).toBe(0);
      expect(appliedCounts[1]).toBeGreaterThan(0);
      const rows = rowsOf<{ n: number }>(await a.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(Number(rows[0].n)).toBe(appliedCounts[1]);
    } finally {
      await a.close();
      await b.close();
      await t.close();
    }
  });
});
