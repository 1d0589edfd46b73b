import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { createTestDb, hasRealPostgres, testDbKinds, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { invoiceNumberSequences, invoices } from "@/db/schema";
import type { Db } from "@/db/client";
import { closeDuePeriods } from "./close-periods";
import { allocateInvoiceNumber } from "./invoice-numbers";
import { putCounter, TEST_BILLING } from "./test-support";

const ANCHOR = new Date("2026-03-01T00:00:00Z");
const CLOSE_AT = new Date("2026-04-01T01:00:00Z");

async function makeSubscriptions(db: Db, n: number, prefix: string) {
  const subs = [];
  for (let i = 0; i < n; i++) {
    const f = await createTenantWithSubscription(db, {
      catalog: "ai-platform",
      plan: "standard",
      slug: `${prefix}-${i}`,
      anchorAt: ANCHOR,
      now: new Date("2026-03-15T00:00:00Z"),
    });
    await putCounter(db, { ...f, metricCode: "api_calls", quantity: String(100_000 + 1000 * (i + 1)) });
    subs.push(f);
  }
  return subs;
}

function numbersOf(rows: { number: string }[]) {
  return rows.map((r) => Number(r.number.slice(-6))).sort((a, b) => a - b);
}

function expectGapless(values: number[]) {
  expect(values).toEqual(Array.from({ length: values.length }, (_, i) => i + 1));
}

describe.each(testDbKinds())("invoice run resumability on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.close());

  it("a run that crashes after k subscriptions is finished by the next run: each invoiced once, numbers gapless", async () => {
    const subs = await makeSubscriptions(t.db, 7, "crash");
    let k = 0;
    await expect(
      closeDuePeriods(t.db, {
        now: CLOSE_AT,
        config: TEST_BILLING,
        afterCommit: () => {
          if (++k === 3) throw new Error("process killed");
        },
      }),
    ).rejects.toThrow("process killed");
    expect(await t.db.select().from(invoices)).toHaveLength(3);

    // A fault inside a transaction rolls that subscription back, number included.
    let calls = 0;
    const faulty = await closeDuePeriods(t.db, {
      now: CLOSE_AT,
      config: TEST_BILLING,
      beforeCommit: () => {
        if (++calls === 2) throw new Error("disk full");
      },
    });
    expect(faulty).toMatchObject({ closed: 3, failed: 1 });
    expect(faulty.errors[0].message).toContain("disk full");

    const rest = await closeDuePeriods(t.db, { now: CLOSE_AT, config: TEST_BILLING });
    expect(rest).toMatchObject({ closed: 1, failed: 0, hasMore: false });

    const all = await t.db.select().from(invoices).orderBy(asc(invoices.number));
    expect(all).toHaveLength(subs.length);
    expect(new Set(all.map((i) => i.subscriptionId)).size).toBe(subs.length);
    expectGapless(numbersOf(all));
    // Each invoice bills its own subscription's usage: 99 + (1000·(i+1)) × 0.001.
    const bySub = new Map(all.map((i) => [i.subscriptionId, Number(i.total)]));
    subs.forEach((s, i) => expect(bySub.get(s.subscriptionId)).toBeCloseTo(99 + (i + 1), 6));
  });

  it("a batch size bounds each call and has_more drives the rest", async () => {
    const before = (await t.db.select().from(invoices)).length;
    await makeSubscriptions(t.db, 5, "batch");
    const first = await closeDuePeriods(t.db, { now: CLOSE_AT, batchSize: 2, config: TEST_BILLING });
    expect(first).toMatchObject({ closed: 2, hasMore: true });
    const second = await closeDuePeriods(t.db, { now: CLOSE_AT, batchSize: 2, config: TEST_BILLING });
    expect(second).toMatchObject({ closed: 2, hasMore: true });
    const third = await closeDuePeriods(t.db, { now: CLOSE_AT, batchSize: 2, config: TEST_BILLING });
    expect(third).toMatchObject({ closed: 1, hasMore: false });
    const all = await t.db.select().from(invoices);
    expect(all.length - before).toBe(5);
    expectGapless(numbersOf(all));
  });
});

describe.runIf(hasRealPostgres())("invoice run concurrency on postgres", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("postgres", { poolSize: 30 });
  });
  afterAll(async () => t?.close());

  it("two overlapping runs make exactly one invoice per (subscription, period), without errors", async () => {
    const subs = await makeSubscriptions(t.db, 12, "overlap");
    const runs = await Promise.all([
      closeDuePeriods(t.db, { now: CLOSE_AT, concurrency: 4, config: TEST_BILLING }),
      closeDuePeriods(t.db, { now: CLOSE_AT, concurrency: 4, config: TEST_BILLING }),
      closeDuePeriods(t.db, { now: CLOSE_AT, concurrency: 3, config: TEST_BILLING }),
    ]);
    for (const r of runs) expect(r.failed).toBe(0);
    // A skipped subscription (locked by the other run) may remain for a later call; finish them.
    let more = await closeDuePeriods(t.db, { now: CLOSE_AT, config: TEST_BILLING });
    while (more.hasMore) more = await closeDuePeriods(t.db, { now: CLOSE_AT, config: TEST_BILLING });
    const total = runs.reduce((a, r) => a + r.closed, 0) + more.closed;
    expect(total).toBe(subs.length);
    const rows = await t.db.execute(sql`select subscription_id, period_id, count(*)::int as n from invoices group by 1, 2`);
    const groups = (Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows) as { n: number }[];
    expect(groups).toHaveLength(subs.length);
    expect(groups.every((g) => g.n === 1)).toBe(true);
    expectGapless(numbersOf(await t.db.select({ number: invoices.number }).from(invoices)));
  });

  it("20 concurrent number allocations are unique and gapless; rolled-back ones return their number", async () => {
    const issuedAt = new Date("2031-06-01T00:00:00Z");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction(async (tx) => {
          const n = await allocateInvoiceNumber(tx, { prefix: "CONC", issuedAt });
          await tx.execute(sql`select pg_sleep(0.005)`);
          if (i % 5 === 4) throw new Error("rollback"); // 4 of 20 roll back
          return n.number;
        }),
      ),
    );
    const committed = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<string>).value);
    expect(committed).toHaveLength(16);
    expect(new Set(committed).size).toBe(16);
    expectGapless(numbersOf(committed.map((number) => ({ number }))));
    expect(committed.every((n) => /^CONC-2031-\d{6}$/.test(n))).toBe(true);
    const [seq] = await t.db.select().from(invoiceNumberSequences).where(eq(invoiceNumberSequences.prefix, "CONC"));
    expect(seq.lastValue).toBe(16);
  });
});
