/**
 * Pages benchmark (issue 6), on a real Postgres:
 *
 *  1. Data: a fresh database with the reliability-ai catalog, 1,000 tenants on its three plans, four monthly
 *     periods each (three closed-to-be and the open one) and 5,000,000 usage events bulk-generated with
 *     generate_series — plus the daily rollups and per-period counters derived from them in SQL, exactly the
 *     rows ingestion maintains. A bench owner user belongs to one of those tenants.
 *  2. Server render time: `next start` (the existing production build in .next; built first when missing) on
 *     that database; 50 sequential GETs of /billing and of /billing/usage after 5 warm-ups, timed to the end of
 *     the response body on localhost; p50 / p95 / max.
 *  3. Lighthouse (npm `lighthouse`, Debian Chromium headless) on /billing, /billing/usage and /billing/invoices
 *     with the bench user's session cookie, desktop and mobile presets: performance and accessibility scores.
 *
 * Results → bench/results/pages.json. Targets: performance ≥ 90, accessibility ≥ 95, render p95 ≤ 100 ms.
 * Options: --tenants 1000  --events 5000000  --requests 50  --port 3251  --keep (do not drop the database)
 *          --skip-lighthouse  --database <name> (reuse a database kept by --keep: no setup)
 * Database: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDb, rowsOf, type Db } from "@/db/client";
import { withDatabase } from "@/db/testing";
import { createUser, ensureCatalog } from "@/db/seed/fixtures";
import { signSession } from "@/lib/auth/session-token";

const SESSION_SECRET = "bench-pages-session-secret-0123456789abcdef";
const BENCH_EMAIL = "owner@bench-1.example";

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i] * 10) / 10;
}

async function setup(db: Db, params: { tenants: number; events: number; now: Date }) {
  const { result } = await ensureCatalog(db, "reliability-ai");
  const pvRows = rowsOf<{ id: string; plan_id: string }>(
    await db.execute(sql`select id, plan_id from plan_versions where id in (${sql.join(result.plans.map((p) => sql`${p.planVersionId}::uuid`), sql`, `)})`),
  );
  const choice = sql.join(pvRows.map((p, i) => sql`(${i}::int, ${p.id}::uuid, ${p.plan_id}::uuid)`), sql`, `);
  // Anchored so that three whole months lie behind and the open period is 12 days old (like the demo).
  const today = new Date(Math.floor(params.now.getTime() / 86_400_000) * 86_400_000);
  const anchor = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 3, today.getUTCDate() - 12));
  await db.execute(sql`
    insert into tenants (slug, name, billing_email, tax_rate_code)
    select 'bench-' || g, 'Bench tenant ' || g, 'billing@bench-' || g || '.example', 'HST_ON' from generate_series(1, ${params.tenants}) g`);
  await db.execute(sql`
    insert into subscriptions (tenant_id, plan_id, plan_version_id, anchor_at, current_period_index, current_period_start, current_period_end)
    select t.id, c.plan_id, c.pv_id, ${anchor.toISOString()}::timestamptz, 3,
      ${anchor.toISOString()}::timestamptz + interval '3 months', ${anchor.toISOString()}::timestamptz + interval '4 months'
    from (select id, row_number() over (order by slug) as rn from tenants where slug like 'bench-%') t
    join (values ${choice}) as c(i, pv_id, plan_id) on c.i = (t.rn % ${pvRows.length}::int)`);
  await db.execute(sql`
    insert into subscription_periods (tenant_id, subscription_id, index, starts_at, ends_at, plan_version_id)
    select s.tenant_id, s.id, i, s.anchor_at + make_interval(months => i), s.anchor_at + make_interval(months => i + 1), s.plan_version_id
    from subscriptions s cross join generate_series(0, 3) i`);

  // 5M events: spread over every tenant and over the ~102 days from the anchor to now, four event types.
  const perTenant = Math.ceil(params.events / params.tenants);
  const spanSeconds = Math.floor((params.now.getTime() - anchor.getTime()) / 1000) - 60;
  const t0 = performance.now();
  await db.execute(sql`
    insert into usage_events (tenant_id, subscription_id, period_id, event_type, metric_code, quantity, billable_quantity, credits,
      occurred_at, properties, idempotency_key, body_hash)
    select s.tenant_id, s.id, p.id, e.event_type, 'credits', e.qty, e.qty * e.cpu, e.qty * e.cpu, e.at,
      jsonb_build_object('site', 'site-' || (1 + g % 3)), 'bench-' || g, md5(g::text)
    from subscriptions s
    cross join lateral generate_series(1, ${perTenant}) g
    cross join lateral (
      select (array['LLM_token_usage','vision_frame_batch','optimizer_job','simulator_run'])[1 + (g % 10 > 5)::int + (g % 10 > 7)::int + (g % 10 > 8)::int] as event_type,
             ${anchor.toISOString()}::timestamptz + make_interval(secs => (g::bigint * 7919 + abs(hashtext(s.id::text))) % ${spanSeconds}) as at
    ) t
    cross join lateral (
      select t.event_type,
        case t.event_type when 'LLM_token_usage' then 1 when 'vision_frame_batch' then 5 when 'optimizer_job' then 500 else 1000 end::numeric as cpu,
        case when t.event_type in ('optimizer_job', 'simulator_run') then 1 else 1 + (g % 40) end::numeric as qty,
        t.at
    ) e
    join subscription_periods p on p.tenant_id = s.tenant_id and p.subscription_id = s.id and p.starts_at <= e.at and e.at < p.ends_at`);
  const eventsSeconds = (performance.now() - t0) / 1000;
  // Rollups and counters derived from the events: the rows ingestion keeps up to date per event.
  await db.execute(sql`
    insert into usage_daily_rollups (tenant_id, day, metric_code, event_type, segment, subscription_id, quantity, billable_quantity, credits, event_count)
    select tenant_id, (occurred_at at time zone 'UTC')::date, metric_code, event_type, '', subscription_id,
      sum(quantity), sum(quantity), sum(credits), count(*)
    from usage_events group by 1, 2, 3, 4, 6`);
  await db.execute(sql`
    insert into usage_counters (tenant_id, period_id, metric_code, subscription_id, quantity, billable_quantity, event_count)
    select tenant_id, period_id, metric_code, subscription_id, sum(credits), sum(credits), count(*)
    from usage_events group by 1, 2, 3, 4`);
  await db.execute(sql`
    insert into snapshots (tenant_id, subscription_id, metric_code, taken_on, quantity, breakdown, source)
    select s.tenant_id, s.id, 'assets', d::date, a, jsonb_build_object('site-1', a), 'seed'
    from subscriptions s
    cross join generate_series(${anchor.toISOString()}::timestamptz, ${today.toISOString()}::timestamptz, interval '1 day') d
    cross join lateral (select (150 + (abs(hashtext(s.id::text)) % 2500))::numeric as a) x`);
  await db.execute(sql`analyze`);
  const [tenant] = rowsOf<{ id: string }>(await db.execute(sql`select id from tenants where slug = 'bench-1'`));
  const user = await createUser(db, { email: BENCH_EMAIL, name: "Bench Owner", password: "bench-password-123", tenantId: tenant.id, role: "owner" });
  const [counts] = rowsOf<{ events: string; rollups: string; tenants: string }>(
    await db.execute(sql`select (select count(*) from usage_events)::text as events, (select count(*) from usage_daily_rollups)::text as rollups,
      (select count(*) from tenants)::text as tenants`),
  );
  return { userId: user.id, eventsSeconds, counts };
}

/** A database prepared by an earlier run (--keep): its bench user and counts, no setup. */
async function existing(db: Db) {
  const [user] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where email = ${BENCH_EMAIL}`));
  if (!user) throw new Error("--database: no bench user in that database (was it made by this bench with --keep?)");
  const [counts] = rowsOf<{ events: string; rollups: string; tenants: string }>(
    await db.execute(sql`select (select count(*) from usage_events)::text as events, (select count(*) from usage_daily_rollups)::text as rollups,
      (select count(*) from tenants)::text as tenants`),
  );
  return { userId: user.id, eventsSeconds: 0, counts };
}

async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`server did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function timeRequests(base: string, pathName: string, cookie: string, n: number) {
  const get = async () => {
    const t = performance.now();
    const r = await fetch(base + pathName, { headers: { cookie }, redirect: "manual" });
    await r.text();
    if (r.status !== 200) throw new Error(`${pathName} answered ${r.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 5; i++) await get();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await get());
  times.sort((a, b) => a - b);
  return { requests: n, p50_ms: percentile(times, 50), p95_ms: percentile(times, 95), max_ms: percentile(times, 100) };
}

async function lighthouseScores(base: string, pathName: string, cookie: string, formFactor: "desktop" | "mobile") {
  const { default: lighthouse } = await import("lighthouse");
  const chromeLauncher = await import("chrome-launcher");
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  try {
    const desktop = formFactor === "desktop";
    const result = await lighthouse(
      base + pathName,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"], extraHeaders: { Cookie: cookie } },
      desktop
        ? {
            extends: "lighthouse:default",
            settings: {
              formFactor: "desktop",
              screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false },
              throttling: { rttMs: 40, throughputKbps: 10240, cpuSlowdownMultiplier: 1, requestLatencyMs: 0, downloadThroughputKbps: 0, uploadThroughputKbps: 0 },
            },
          }
        : undefined,
    );
    const lhr = result!.lhr;
    return {
      performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
      lcp_ms: Math.round(Number(lhr.audits["largest-contentful-paint"]?.numericValue ?? 0)),
      tbt_ms: Math.round(Number(lhr.audits["total-blocking-time"]?.numericValue ?? 0)),
      cls: Number((lhr.audits["cumulative-layout-shift"]?.numericValue ?? 0).toFixed(3)),
    };
  } finally {
    await chrome.kill();
  }
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      tenants: { type: "string", default: "1000" },
      events: { type: "string", default: "5000000" },
      requests: { type: "string", default: "50" },
      port: { type: "string", default: "3251" },
      keep: { type: "boolean", default: false },
      "skip-lighthouse": { type: "boolean", default: false },
      database: { type: "string" },
    },
  });
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const tenants = Number(values.tenants);
  const events = Number(values.events);
  const requests = Number(values.requests);
  const port = Number(values.port);

  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.log("no production build: running next build");
    const b = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("next build failed");
  }

  const reuse = values.database;
  const name = reuse ?? `ml_bench_pages_${Date.now().toString(36)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  if (!reuse) await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(baseUrl, name);
  let server: ChildProcess | null = null;
  try {
    const handle = await openDb({ url, poolSize: 4 });
    const now = new Date();
    const t0 = performance.now();
    const data = reuse ? await existing(handle.db) : await setup(handle.db, { tenants, events, now });
    const setupSeconds = (performance.now() - t0) / 1000;
    await handle.close();
    if (!values.keep && !reuse) console.log(`(database ${name} is dropped at the end; --keep keeps it)`);
    else console.log(`database: ${name}`);
    console.log(`data: ${data.counts.tenants} tenants, ${data.counts.events} usage events, ${data.counts.rollups} rollup rows (setup ${setupSeconds.toFixed(0)} s)`);

    server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, DATABASE_URL: url, SESSION_SECRET, NODE_ENV: "production", DATABASE_POOL_SIZE: "10" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health`, 60_000);
    const cookie = `ml_session=${signSession({ sub: data.userId, exp: Math.floor(Date.now() / 1000) + 3600 }, SESSION_SECRET)}`;

    const render = {
      // Reference: a page with no billing reads, to separate machine load from the pages' own cost.
      "/sign-in (reference, no reads)": await timeRequests(base, "/sign-in", "", requests),
      "/billing": await timeRequests(base, "/billing", cookie, requests),
      "/billing/usage": await timeRequests(base, "/billing/usage", cookie, requests),
    };
    console.log("server render (ms):", JSON.stringify(render));

    const lighthouse: Record<string, Record<string, unknown>> = {};
    if (!values["skip-lighthouse"]) {
      for (const p of ["/billing", "/billing/usage", "/billing/invoices"]) {
        lighthouse[p] = { desktop: await lighthouseScores(base, p, cookie, "desktop"), mobile: await lighthouseScores(base, p, cookie, "mobile") };
        console.log(`lighthouse ${p}:`, JSON.stringify(lighthouse[p]));
      }
    }

    const out = {
      bench: "pages",
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        node: process.version,
        database: reuse ? "postgres (real), database kept from an earlier run" : "postgres (real), fresh database",
        // The machine is shared: a load average far above the CPU count inflates every timing here.
        load_average_1m_at_end: Number(os.loadavg()[0].toFixed(1)),
      },
      data: {
        tenants: Number(data.counts.tenants),
        usage_events: Number(data.counts.events),
        rollup_rows: Number(data.counts.rollups),
        setup_seconds: Math.round(setupSeconds),
        events_insert_seconds: Math.round(data.eventsSeconds),
      },
      render_ms: render,
      lighthouse,
      targets: { performance: ">= 90", accessibility: ">= 95", render_p95_ms: "<= 100" },
      note: "Pages read rollups, counters and snapshots only (never usage_events). Render time = full response on localhost, sequential.",
    };
    mkdirSync(path.join(process.cwd(), "bench", "results"), { recursive: true });
    writeFileSync(path.join(process.cwd(), "bench", "results", "pages.json"), JSON.stringify(out, null, 2) + "\n");
    console.log("wrote bench/results/pages.json");
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    if (!values.keep && !reuse) {
      await new Promise((r) => setTimeout(r, 1000));
      await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    }
    await admin.end();
  }
}
