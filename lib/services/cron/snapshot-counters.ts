/**
 * Registered counters: counted metrics the app itself can count (seats = tenant members). Each returns, for
 * a set of tenants, the quantity (and optional breakdown) to snapshot today. Other modules may register more.
 */
import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { memberships } from "@/db/schema";

export type CounterReading = { quantity: string; breakdown?: Record<string, string> };
export type SnapshotCounter = (db: DbOrTx, tenantIds: string[]) => Promise<Map<string, CounterReading>>;

const countMembers: SnapshotCounter = async (db, tenantIds) => {
  const out = new Map<string, CounterReading>();
  if (tenantIds.length === 0) return out;
  const rows = await db
    .select({ tenantId: memberships.tenantId, n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(inArray(memberships.tenantId, tenantIds))
    .groupBy(memberships.tenantId);
  for (const id of tenantIds) out.set(id, { quantity: "0" });
  for (const r of rows) out.set(r.tenantId, { quantity: String(r.n) });
  return out;
};

const registry = new Map<string, SnapshotCounter>([
  ["user_seats", countMembers],
  ["users", countMembers],
  ["seats", countMembers],
]);

export function registerSnapshotCounter(metricCode: string, counter: SnapshotCounter): void {
  registry.set(metricCode, counter);
}

export function snapshotCounterFor(metricCode: string): SnapshotCounter | undefined {
  return registry.get(metricCode);
}
