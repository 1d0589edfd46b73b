import { parseArgs } from "node:util";
import { loadAllCatalogs } from "@/catalogs";
import { env } from "@/lib/env";
import { createMeterlineClient, MeterlineApiError, type UsageEvent } from "@/lib/client/client";
import { createApiKey } from "@/lib/services/api-keys/api-keys";
import { matchPlan, trafficGenerator } from "@/lib/services/usage/demo-traffic";
import { openCliDb } from "../db";
import { tenantIdBySlug } from "./apikey";
import { UsageError, type CliIo, type Command } from "./types";

const TICK_MS = 200;

export interface TrafficOptions {
  url: string;
  key: string;
  rate: number;
  seconds: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Sends ~`rate` events per second for `seconds` through lib/client (batches per tick); returns totals. */
export async function runTraffic(opts: TrafficOptions, io: CliIo) {
  const client = createMeterlineClient({ baseUrl: opts.url, apiKey: opts.key, fetch: opts.fetch });
  const summary = await client.usageSummary();
  const match = matchPlan(loadAllCatalogs(), summary);
  if (!match) throw new Error(`could not find plan ${summary.plan.code} in the shipped catalogs`);
  const gen = trafficGenerator(match.catalog, match.plan);
  io.out(`Sending ~${opts.rate} events/s for ${opts.seconds}s to ${opts.url} (${match.catalog.code} / ${match.plan.code})…`);
  const totals = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, alerts: [] as string[], errors: 0 };
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const ticks = Math.max(1, Math.round((opts.seconds * 1000) / TICK_MS));
  let carry = 0;
  for (let t = 0; t < ticks; t++) {
    const started = Date.now();
    carry += (opts.rate * TICK_MS) / 1000;
    const n = Math.floor(carry);
    carry -= n;
    for (let offset = 0; offset < n; offset += 1000) {
      const events: UsageEvent[] = Array.from({ length: Math.min(1000, n - offset) }, () => gen());
      totals.sent += events.length;
      try {
        const r = await client.recordUsageBatch(events, { partial: true });
        totals.accepted += r.totals.accepted;
        totals.duplicates += r.totals.duplicates;
        totals.rejected += r.totals.rejected;
        for (const x of r.results) if (x.ok) for (const a of x.alerts) totals.alerts.push(`${a.code} (${a.metric} ${a.threshold_percent}%)`);
      } catch (err) {
        totals.errors++;
        io.err(err instanceof MeterlineApiError ? `  ${err.status} ${err.code}: ${err.message}` : `  ${(err as Error).message}`);
      }
    }
    await sleep(Math.max(0, TICK_MS - (Date.now() - started)));
  }
  const after = await client.usageSummary();
  io.out(`Sent ${totals.sent}: ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.rejected} rejected, ${totals.errors} failed requests.`);
  if (totals.alerts.length) io.out(`Alerts fired: ${totals.alerts.join(", ")}`);
  if (after.credits) io.out(`Credits this period: ${after.credits.used} used of ${after.credits.included} (${after.credits.percent ?? "–"}%).`);
  for (const m of after.metrics.filter((x) => x.kind === "metered")) io.out(`${m.metric}: ${m.used} of ${m.included ?? "–"} included.`);
  return totals;
}

export const trafficCommand: Command = {
  name: "traffic",
  usage: ["traffic --tenant <slug> --rate <events/s> --seconds <s> [--url <app url>] [--key <api key>]"],
  summary: "Generates realistic usage for a tenant's plan against a running app, through lib/client.",
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        tenant: { type: "string" },
        rate: { type: "string", default: "20" },
        seconds: { type: "string", default: "10" },
        url: { type: "string" },
        key: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
    const rate = Number(values.rate);
    const seconds = Number(values.seconds);
    if (!Number.isFinite(rate) || rate <= 0 || rate > 100_000) throw new UsageError("--rate must be between 1 and 100000 events per second");
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) throw new UsageError("--seconds must be between 1 and 86400");
    let key = values.key ?? process.env.METERLINE_API_KEY;
    if (!key) {
      if (!values.tenant) throw new UsageError("--tenant <slug> (or --key) is required");
      // A fresh key for the run (PGlite: stop the app first, or pass --key from `apikey create`).
      const handle = await openCliDb();
      try {
        const tenantId = await tenantIdBySlug(handle.db, values.tenant);
        if (!tenantId) {
          io.err(`traffic: no tenant with slug "${values.tenant}"`);
          return 1;
        }
        key = (await createApiKey(handle.db, { tenantId, name: `traffic ${new Date().toISOString().slice(0, 16)}` })).key;
      } finally {
        await handle.close();
      }
    }
    const totals = await runTraffic({ url: values.url ?? env().APP_URL, key, rate, seconds }, io);
    return totals.errors > 0 && totals.accepted === 0 ? 1 : 0;
  },
};
