/**
 * Nightly snapshots: for every active subscription and every counted metric its plan prices, today's row —
 * from a registered counter (seats = members) or, failing one, the latest posted value carried forward.
 * Idempotent through the unique (tenant, subscription, metric, day) index: a value already posted today via
 * POST /api/snapshots wins, and a second run writes nothing.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { snapshots } from "@/db/schema";
import { utcDay } from "@/lib/domain/billing/period-usage";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import type { JobOutcome } from "@/lib/services/automation/run-job";
import { snapshotCounterFor, type CounterReading } from "./snapshot-counters";

/** Snapshot metrics a plan prices (counted or dimensional components over a snapshot metric). */
export function snapshotMetricsOf(catalog: Catalog, plan: Plan): string[] {
  const codes = new Set<string>();
  for (const c of plan.components) {
    if (c.kind !== "counted" && c.kind !== "dimensional") continue;
    const m = catalog.metrics.find((x) => x.code === c.metric);
    if (m?.kind === "snapshot") codes.add(m.code);
  }
  return [...codes];
}

export async function takeSnapshots(db: Db, options: { now: Date; batchSize?: number }): Promise<JobOutcome> {
  const today = utcDay(options.now);
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const subsResult = await db.execute(sql`
    select s.tenant_id, s.id, s.plan_version_id,
      coalesce(array_agg(sn.metric_code) filter (where sn.metric_code is not null), '{}') as done
    from subscriptions s
    left join snapshots sn on sn.tenant_id = s.tenant_id and sn.subscription_id = s.id and sn.taken_on = ${today}::date
    where s.status = 'active'
    group by s.tenant_id, s.id, s.plan_version_id
    order by s.tenant_id, s.id`);
  type SubRow = { tenant_id: string; id: string; plan_version_id: string; done: string[] | string };
  const pending: { tenantId: string; subscriptionId: string; metrics: string[] }[] = [];
  for (const r of rowsOf<SubRow>(subsResult)) {
    const priced = await loadPlanVersion(db, r.plan_version_id);
    const done = new Set(Array.isArray(r.done) ? r.done : parsePgArray(r.done));
    const metrics = snapshotMetricsOf(priced.catalog, priced.plan).filter((m) => !done.has(m));
    if (metrics.length > 0) pending.push({ tenantId: r.tenant_id, subscriptionId: r.id, metrics });
  }
  const batch = pending.slice(0, batchSize);
  const counts = { subscriptions: batch.length, counted: 0, carried_forward: 0, no_source: 0, already_taken: 0 };
  if (batch.length === 0) return { counts, hasMore: false };

  // Registered counters, one call per metric for the whole batch.
  const readings = new Map<string, Map<string, CounterReading>>();
  for (const metric of new Set(batch.flatMap((b) => b.metrics))) {
    const counter = snapshotCounterFor(metric);
    if (counter) {
      readings.set(metric, await counter(db, [...new Set(batch.filter((b) => b.metrics.includes(metric)).map((b) => b.tenantId))]));
    }
  }
  // Latest earlier value per (subscription, metric), for metrics without a counter.
  const values = sql.join(batch.map((b) => sql`(${b.tenantId}::uuid, ${b.subscriptionId}::uuid)`), sql`, `);
  const prior = await db.execute(sql`
    select distinct on (sn.subscription_id, sn.metric_code) sn.subscription_id, sn.metric_code, sn.quantity::text as quantity, sn.breakdown
    from (values ${values}) as v(tenant_id, subscription_id)
    join snapshots sn on sn.tenant_id = v.tenant_id and sn.subscription_id = v.subscription_id and sn.taken_on < ${today}::date
    order by sn.subscription_id, sn.metric_code, sn.taken_on desc`);
  const last = new Map<string, { quantity: string; breakdown: Record<string, unknown> }>();
  for (const r of rowsOf<{ subscription_id: string; metric_code: string; quantity: string; breakdown: unknown }>(prior)) {
    const breakdown = (typeof r.breakdown === "string" ? JSON.parse(r.breakdown) : r.breakdown ?? {}) as Record<string, unknown>;
    last.set(`${r.subscription_id}|${r.metric_code}`, { quantity: String(r.quantity), breakdown });
  }

  const rows: (typeof snapshots.$inferInsert)[] = [];
  for (const b of batch) {
    for (const metric of b.metrics) {
      const reading = readings.get(metric)?.get(b.tenantId);
      if (reading) {
        rows.push({ tenantId: b.tenantId, subscriptionId: b.subscriptionId, metricCode: metric, takenOn: today, quantity: reading.quantity, breakdown: reading.breakdown ?? {}, source: "counter", takenAt: options.now });
        counts.counted++;
        continue;
      }
      const prev = last.get(`${b.subscriptionId}|${metric}`);
      if (prev) {
        rows.push({ tenantId: b.tenantId, subscriptionId: b.subscriptionId, metricCode: metric, takenOn: today, quantity: prev.quantity, breakdown: prev.breakdown, source: "counter", takenAt: options.now });
        counts.carried_forward++;
      } else {
        counts.no_source++;
      }
    }
  }
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const res = await db.insert(snapshots).values(rows.slice(i, i + 1000)).onConflictDoNothing().returning({ id: snapshots.id });
    inserted += res.length;
  }
  counts.already_taken = rows.length - inserted; // posted (or taken by an overlapping run) meanwhile
  // More remains only if this call made progress and left work behind (metrics with no source never finish).
  return { counts, hasMore: pending.length > batch.length && rows.length > 0 };
}

function parsePgArray(s: string): string[] {
  const inner = s.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((x) => x.replace(/^"|"$/g, "")) : [];
}
