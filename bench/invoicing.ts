/**
 * Invoicing benchmark (issue 5): the period close of 1,000 and of 10,000 subscriptions, each with a month of
 * usage (a credits counter and 31 nightly asset snapshots, bulk-inserted for setup speed), on a real Postgres.
 * Each size runs in a fresh database; the close is driven to completion through closeDuePeriods — the same
 * code as GET /api/cron/invoices — in batches. Prints seconds and subscriptions/s per size and the 10k/1k
 * time ratio, and writes bench/results/invoicing.json. Target: 10,000 in ≤ 60 s; ratio ≤ 11.
 *
 * Options: --sizes 1000,10000  --batch <n> (1000)  --concurrency <n> (16)
 * Database: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDb, rowsOf, type Db } from "@/db/client";
import { withDatabase } from "@/db/testing";
import { ensureCatalog } from "@/db/seed/fixtures";
import { closeDuePeriods } from "@/lib/services/billing/close-periods";

const ANCHOR = "2026-01-01T00:00:00Z";
const CLOSE_AT = new Date("2026-02-01T01:00:00Z");
const CONFIG = { prefix: "INV", dueDays: 14, stripeEnabled: false };

export async function setup(db: Db, n: number): Promise<void> {
  const { result } = await ensureCatalog(db, "reliability-ai");
  const versions = result.plans.map((p) => p.planVersionId);
  const planIds = await db.execute(sql`select id, plan_id from plan_versions where id in (${sql.join(versions.map((v) => sql`${v}::uuid`), sql`, `)})`);
  const pv = rowsOf<{ id: string; plan_id: string }>(planIds);
  const choice = sql.join(pv.map((p, i) => sql`(${i}::int, ${p.id}::uuid, ${p.plan_id}::uuid)`), sql`, `);
  await db.execute(sql`
    insert into tenants (slug, name, billing_email, tax_rate_code)
    select 'bench-' || g, 'Bench tenant ' || g, 'billing+' || g || '@bench.example', 'HST_ON' from generate_series(1, ${n}) g`);
  await db.execute(sql`
    insert into subscriptions (tenant_id, plan_id, plan_version_id, anchor_at, current_period_index, current_period_start, current_period_end)
    select t.id, c.plan_id, c.pv_id, ${ANCHOR}::timestamptz, 0, ${ANCHOR}::timestamptz, ${ANCHOR}::timestamptz + interval '1 month'
    from (select id, row_number() over (order by slug) as rn from tenants where slug like 'bench-%') t
    join (values ${choice}) as c(i, pv_id, plan_id) on c.i = (t.rn % ${pv.length}::int)`);
  await db.execute(sql`
    insert into subscription_periods (tenant_id, subscription_id, index, starts_at, ends_at, plan_version_id)
    select tenant_id, id, 0, current_period_start, current_period_end, plan_version_id from subscriptions`);
  // A month of usage: credits burned (some beyond the included pool) and a nightly asset count.
  await db.execute(sql`
    insert into usage_counters (tenant_id, period_id, metric_code, subscription_id, quantity, billable_quantity, event_count)
    select p.tenant_id, p.id, 'credits', p.subscription_id, q, q, 3000
    from subscription_periods p, lateral (select (200000 + (abs(hashtext(p.id::text)) % 5000000))::numeric as q) x`);
  await db.execute(sql`
    insert into snapshots (tenant_id, subscription_id, metric_code, taken_on, quantity, breakdown, source)
    select s.tenant_id, s.id, 'assets', d::date, a, jsonb_build_object('site-a', a), 'seed'
    from subscriptions s
    cross join generate_series(${ANCHOR}::timestamptz, ${ANCHOR}::timestamptz + interval '30 days', interval '1 day') d
    cross join lateral (select (150 + (abs(hashtext(s.id::text || d::text)) % 3500))::numeric as a) x`);
  await db.execute(sql`analyze`);
}

async function measure(baseUrl: string, n: number, batch: number, concurrency: number) {
  const name = `ml_bench_inv_${Date.now().toString(36)}_${n}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const handle = await openDb({ url: withDatabase(baseUrl, name), poolSize: concurrency + 4 });
  try {
    const t0 = performance.now();
    await setup(handle.db, n);
    const setupSeconds = (performance.now() - t0) / 1000;
    const start = performance.now();
    let calls = 0;
    let closed = 0;
    let failed = 0;
    const paths = { fast: 0, locked: 0 };
    for (;;) {
      calls++;
      const r = await closeDuePeriods(handle.db, { now: CLOSE_AT, batchSize: batch, concurrency, config: CONFIG });
      closed += r.closed;
      failed += r.failed;
      paths.fast += r.paths.fast;
      paths.locked += r.paths.locked;
      if (r.errors.length) console.error(r.errors.slice(0, 3));
      if (!r.hasMore) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const [check] = rowsOf<{ invoices: number; lines: number; open_periods: number; max_number: string }>(
      await handle.db.execute(sql`select
        (select count(*)::int from invoices) as invoices,
        (select count(*)::int from invoice_lines) as lines,
        (select count(*)::int from subscription_periods where status = 'open' and ends_at <= ${CLOSE_AT.toISOString()}::timestamptz) as open_periods,
        (select max(number) from invoices) as max_number`),
    );
    if (check.invoices !== n || closed !== n || failed > 0 || check.open_periods !== 0) {
      throw new Error(`close incomplete for ${n}: ${JSON.stringify({ closed, failed, ...check })}`);
    }
    return {
      subscriptions: n,
      seconds: Math.round(seconds * 1000) / 1000,
      subscriptions_per_sec: Math.round(n / seconds),
      calls,
      paths,
      invoices: check.invoices,
      invoice_lines: check.lines,
      last_number: check.max_number,
      setup_seconds: Math.round(setupSeconds * 10) / 10,
    };
  } finally {
    await handle.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { sizes: { type: "string" }, batch: { type: "string" }, concurrency: { type: "string" } },
    strict: true,
  });
  const sizes = (values.sizes ?? "1000,10000").split(",").map((s) => Number(s.trim()));
  const batch = Number(values.batch ?? 1000);
  const concurrency = Number(values.concurrency ?? 16);
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const results = [];
  for (const n of sizes) {
    console.log(`closing ${n} subscriptions (batch ${batch}, concurrency ${concurrency}) …`);
    const r = await measure(baseUrl, n, batch, concurrency);
    console.log(`  ${n} subscriptions: ${r.seconds.toFixed(2)} s, ${r.subscriptions_per_sec} subscriptions/s (${r.calls} calls, fast ${r.paths.fast}/locked ${r.paths.locked}, ${r.invoice_lines} lines, last ${r.last_number}; setup ${r.setup_seconds} s)`);
    results.push(r);
  }
  const small = results.find((r) => r.subscriptions === 1000);
  const large = results.find((r) => r.subscriptions === 10000);
  const ratio = small && large ? Math.round((large.seconds / small.seconds) * 100) / 100 : null;
  if (ratio !== null) console.log(`10k/1k time ratio: ${ratio} (target ≤ 11); 10k in ${large!.seconds} s (target ≤ 60 s)`);
  const out = {
    benchmark: "invoicing",
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, load_avg_1m_at_end: Math.round(os.loadavg()[0] * 10) / 10 },
    database: "postgres (fresh database per size)",
    batch,
    concurrency,
    results,
    ratio_10k_1k: ratio,
    targets: { seconds_10k_max: 60, ratio_max: 11 },
    met: large ? large.seconds <= 60 && (ratio === null || ratio <= 11) : null,
  };
  const file = path.join(process.cwd(), "bench", "results", "invoicing.json");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
