/**
 * Ingestion benchmark (issue 4): against `next build && next start` on a real Postgres.
 *   (a) GET /api/health — a no-op route of the same app (the framework floor)
 *   (b) POST /api/usage, one event per request, unique idempotency keys
 *   (c) POST /api/usage, batches of 1,000 events
 *   (d) raw postgres-js batched INSERT of the same rows into usage_events (the database floor)
 * autocannon, 16 connections × 20 s each. Prints req/s, events/s, p50, p99 and the ratios b/a and c/d,
 * and writes bench/results/ingest.json.
 *
 * Options: --seconds <n> (20)  --connections <n> (16)  --no-build  --port <n> (3107)
 * Database: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres;
 * a fresh database ml_bench_<ts> is created and dropped.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { openDb } from "@/db/client";
import { withDatabase } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { createApiKey } from "@/lib/services/api-keys/api-keys";

type Figures = { requests_per_sec: number; events_per_sec: number; p50_ms: number; p99_ms: number; errors: number; non_2xx: number };

async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function figures(r: autocannon.Result, eventsPerRequest: number): Figures {
  const ok = r.requests.total - r.non2xx;
  return {
    requests_per_sec: Math.round((ok / r.duration) * 10) / 10,
    events_per_sec: Math.round((ok * eventsPerRequest) / r.duration),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    errors: r.errors,
    non_2xx: r.non2xx,
  };
}

async function waitForHealth(url: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer ${url}/api/health within ${ms / 1000}s`);
}

function eventsBody(prefix: string, n: number): string {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    parts[i] = `{"event_type":"LLM_token_usage","quantity":"1.5","idempotency_key":"${prefix}-${i}","properties":{"model":"m-large","site":"north"}}`;
  }
  return n === 1 ? parts[0] : `{"events":[${parts.join(",")}]}`;
}

/** (d): 16 concurrent loops of a 1,000-row INSERT … ON CONFLICT DO NOTHING of the same rows, straight from postgres-js. */
async function rawInsert(url: string, seconds: number, connections: number, ids: { tenantId: string; subscriptionId: string; periodId: string }): Promise<Figures> {
  const sql = postgres(url, { max: connections, onnotice: () => {} });
  const latencies: number[] = [];
  let batches = 0;
  const until = Date.now() + seconds * 1000;
  const now = new Date();
  const loop = async (c: number) => {
    let n = 0;
    while (Date.now() < until) {
      const prefix = `raw-${c}-${n++}`;
      const rows = Array.from({ length: 1000 }, (_, i) => ({
        tenant_id: ids.tenantId,
        subscription_id: ids.subscriptionId,
        period_id: ids.periodId,
        event_type: "LLM_token_usage",
        metric_code: "credits",
        quantity: "1.5",
        billable_quantity: "1.5",
        credits: "1.5",
        occurred_at: now,
        properties: sql.json({ model: "m-large", site: "north" }),
        idempotency_key: `${prefix}-${i}`,
        body_hash: "0".repeat(64),
      }));
      const t0 = performance.now();
      await sql`insert into usage_events ${sql(rows)} on conflict (tenant_id, idempotency_key) do nothing`;
      latencies.push(performance.now() - t0);
      batches++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, c) => loop(c)));
  const duration = (performance.now() - started) / 1000;
  await sql.end();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 100) / 100;
  return {
    requests_per_sec: Math.round((batches / duration) * 10) / 10,
    events_per_sec: Math.round((batches * 1000) / duration),
    p50_ms: q(0.5),
    p99_ms: q(0.99),
    errors: 0,
    non_2xx: 0,
  };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: "string", default: "20" },
      connections: { type: "string", default: "16" },
      port: { type: "string", default: "3107" },
      "no-build": { type: "boolean", default: false },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const dbName = `ml_bench_${Date.now()}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const url = withDatabase(base, dbName);
  let server: ChildProcess | undefined;
  try {
    console.log(`database ${dbName}: migrating and seeding…`);
    const handle = await openDb({ url, poolSize: 4 });
    const now = new Date();
    const tenant = await createTenantWithSubscription(handle.db, {
      catalog: "reliability-ai",
      plan: "ENTERPRISE",
      slug: "bench",
      anchorAt: new Date(now.getTime() - 2 * 86_400_000),
      now,
    });
    const { key } = await createApiKey(handle.db, { tenantId: tenant.tenantId, name: "bench" });
    await handle.close();

    if (!values["no-build"]) {
      console.log("next build…");
      const b = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
      if (b.status !== 0) throw new Error("next build failed");
    }
    const port = values.port!;
    const appUrl = `http://127.0.0.1:${port}`;
    server = spawn("npx", ["next", "start", "-p", port, "-H", "127.0.0.1"], {
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: String(connections + 4),
        SESSION_SECRET: process.env.SESSION_SECRET ?? randomUUID() + randomUUID(),
        USAGE_RATE_LIMIT_PER_MINUTE: "100000000",
      },
    });
    await waitForHealth(appUrl);

    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    let seq = 0;
    const single = (): autocannon.Options => ({
      url: `${appUrl}/api/usage`,
      connections,
      duration: seconds,
      requests: [{ method: "POST", headers: auth, setupRequest: (req) => ({ ...req, body: eventsBody(`s${++seq}`, 1) }) }],
    });
    const batch = (): autocannon.Options => ({
      url: `${appUrl}/api/usage`,
      connections,
      duration: seconds,
      timeout: 60,
      requests: [{ method: "POST", headers: auth, setupRequest: (req) => ({ ...req, body: eventsBody(`b${++seq}`, 1000) }) }],
    });
    const health = (): autocannon.Options => ({ url: `${appUrl}/api/health`, connections, duration: seconds });

    console.log("warming up…");
    for (const o of [health(), single(), batch()]) await cannon({ ...o, duration: 3 });
    // This machine's Postgres runs with autovacuum off (a CI setting), so tables filled by the warm-up would
    // keep no statistics; a production server analyzes them by itself. Measure that steady state.
    const analyzer = postgres(url, { max: 1, onnotice: () => {} });
    await analyzer.unsafe("analyze");
    await analyzer.end();

    console.log(`(a) GET /api/health — ${connections} connections × ${seconds}s`);
    const a = figures(await cannon(health()), 0);
    console.log(`(b) POST /api/usage single event`);
    const b = figures(await cannon(single()), 1);
    console.log(`(c) POST /api/usage batches of 1,000`);
    const c = figures(await cannon(batch()), 1000);
    console.log(`(d) raw postgres-js INSERT of 1,000 rows`);
    const d = await rawInsert(url, seconds, connections, tenant);

    const ratios = {
      b_over_a_requests: Math.round((b.requests_per_sec / a.requests_per_sec) * 1000) / 1000,
      c_over_d_events: Math.round((c.events_per_sec / d.events_per_sec) * 1000) / 1000,
    };
    const targets = {
      "b >= 0.6 a": ratios.b_over_a_requests >= 0.6,
      "b p99 <= 60 ms": b.p99_ms <= 60,
      "c >= 20000 events/s": c.events_per_sec >= 20_000,
      "c >= 0.35 d": ratios.c_over_d_events >= 0.35,
    };
    const rows = { "a health": a, "b single": b, "c batch 1000": c, "d raw insert 1000": d };
    console.log("");
    console.log(["case".padEnd(20), "req/s".padStart(10), "events/s".padStart(10), "p50 ms".padStart(8), "p99 ms".padStart(8), "non-2xx".padStart(8)].join(" "));
    for (const [name, f] of Object.entries(rows)) {
      console.log(
        [name.padEnd(20), String(f.requests_per_sec).padStart(10), String(f.events_per_sec).padStart(10), String(f.p50_ms).padStart(8), String(f.p99_ms).padStart(8), String(f.non_2xx).padStart(8)].join(" "),
      );
    }
    console.log(`b/a = ${ratios.b_over_a_requests}   c/d = ${ratios.c_over_d_events}   (load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} CPUs)`);
    for (const [t, ok] of Object.entries(targets)) console.log(`${ok ? "met   " : "MISSED"} ${t}`);

    const out = path.join(process.cwd(), "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, "ingest.json"),
      JSON.stringify(
        {
          ran_at: new Date().toISOString(),
          machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load_average: os.loadavg() },
          connections,
          seconds,
          results: rows,
          ratios,
          targets,
        },
        null,
        2,
      ) + "\n",
    );
    console.log("wrote bench/results/ingest.json");
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`).catch(() => {});
    await admin.end();
  }
}
