import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { openDb } from "@/db/client";
import { withDatabase } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { createApiKey } from "@/lib/services/api-keys/api-keys";
import { createUsageHandler } from "@/app/api/usage/handler";
import { parseUsageRequest } from "@/lib/services/usage/request-schema";

/**
 * In-process profile of the ingestion handler (no HTTP, no Next): per-request latency of single events and
 * 1,000-event batches run one after another on a fresh database, and a CPU profile of 10 batches
 * (self time per function). `npm run bench -- profile-ingest`.
 */
export async function run(): Promise<void> {
const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `ml_prof_${Date.now()}`;
const admin = postgres(base, { max: 1 });
await admin.unsafe(`create database "${name}"`);
const h = await openDb({ url: withDatabase(base, name), poolSize: 8 });
try {
  const now = new Date();
  const t = await createTenantWithSubscription(h.db, { catalog: "reliability-ai", plan: "ENTERPRISE", slug: "p", anchorAt: new Date(now.getTime() - 86400000), now });
  const { key } = await createApiKey(h.db, { tenantId: t.tenantId, name: "p" });
  const handler = createUsageHandler({ getDb: async () => h.db, graceMinutes: () => 60, rateLimitPerMinute: () => 1e9 });
  const body = (p: string, n: number) => {
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(`{"event_type":"LLM_token_usage","quantity":"1.5","idempotency_key":"${p}-${i}","properties":{"model":"m-large","site":"north"}}`);
    return n === 1 ? parts[0] : `{"events":[${parts.join(",")}]}`;
  };
  const post = (b: string) => handler(new Request("http://x/api/usage", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: b }));
  for (let i = 0; i < 5; i++) await (await post(body(`w${i}`, 1000))).text();
  // parse cost alone
  const raw = JSON.parse(body("zz", 1000));
  let t0 = performance.now();
  for (let i = 0; i < 10; i++) parseUsageRequest(raw);
  console.log("zod parse 1000 events:", ((performance.now() - t0) / 10).toFixed(2), "ms");
  t0 = performance.now();
  for (let i = 0; i < 10; i++) await (await post(body(`b${i}`, 1000))).text();
  console.log("full batch of 1000 (sequential):", ((performance.now() - t0) / 10).toFixed(2), "ms");
  t0 = performance.now();
  for (let i = 0; i < 200; i++) await (await post(body(`s${i}`, 1))).text();
  console.log("single event (sequential):", ((performance.now() - t0) / 200).toFixed(2), "ms");
  for (const conc of [1, 4, 16]) {
    let n = 0;
    const until = Date.now() + 4000;
    const lat: number[] = [];
    await Promise.all(
      Array.from({ length: conc }, async (_, c) => {
        while (Date.now() < until) {
          const t1 = performance.now();
          await (await post(body(`k${conc}-${c}-${n++}`, 1))).text();
          lat.push(performance.now() - t1);
        }
      }),
    );
    lat.sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1);
    console.log(`single events, ${conc} concurrent: ${(lat.length / 4).toFixed(0)} req/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`);
  }
  const { Session } = await import("node:inspector/promises");
  const s = new Session(); s.connect();
  await s.post("Profiler.enable"); await s.post("Profiler.start");
  for (let i = 0; i < 10; i++) await (await post(body(`c${i}`, 1000))).text();
  const { profile } = await s.post("Profiler.stop");
  // self time by function
  const self = new Map<string, number>();
  const nodes = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const dt = new Map<number, number>();
  (profile.samples ?? []).forEach((id: number, i: number) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  for (const [id, us] of dt) {
    const n: any = nodes.get(id);
    const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + us);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log("profile total ms", (total / 1000).toFixed(0));
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / 1000).toFixed(1).padStart(8), k);
} finally {
  await h.close();
  await admin.unsafe(`drop database "${name}" with (force)`);
  await admin.end();
}
}
