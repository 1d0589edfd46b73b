/**
 * Optional (STRIPE_METER_SYNC=on): reports usage to Stripe Billing Meters, one meter event per tenant, UTC day
 * and metric (`meterline_<metric>`, the day's billable quantity from the daily rollups), for tenants with a
 * Stripe customer. Meterline's own invoices stay the billing truth; the meters let Stripe-side reporting and
 * alerts see the same usage. A day is reported once it is closed (two hours after midnight UTC, past the late
 * grace of ingestion); the identifier is deterministic, so a resend after a crash is deduplicated by Stripe.
 * Stripe refuses events older than 35 days: such days are recorded as skipped. Corrections made after a day
 * was reported are not re-sent (documented limitation).
 */
import { sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/client";
import { stripeMeterSyncs } from "@/db/schema";
import type { JobError } from "@/lib/services/automation/run-job";

const DAY_MS = 86_400_000;
const CLOSE_DELAY_MS = 2 * 3_600_000;
const MAX_AGE_DAYS = 35;

export async function syncMeterUsage(db: Db, stripe: Stripe, options: { now: Date; batch?: number }) {
  const batch = Math.max(1, Math.min(options.batch ?? 200, 1000));
  const cutoff = new Date(options.now.getTime() - CLOSE_DELAY_MS).toISOString().slice(0, 10);
  const oldest = new Date(options.now.getTime() - MAX_AGE_DAYS * DAY_MS).toISOString().slice(0, 10);
  const due = rowsOf<{ tenant_id: string; day: string; metric_code: string; quantity: string; customer: string }>(
    await db.execute(sql`
      select r.tenant_id, r.day::text as day, r.metric_code, sum(r.billable_quantity)::text as quantity, t.stripe_customer_id as customer
      from usage_daily_rollups r
      join tenants t on t.id = r.tenant_id and t.stripe_customer_id is not null
      left join stripe_meter_syncs s on s.tenant_id = r.tenant_id and s.day = r.day and s.metric_code = r.metric_code
      where r.day < ${cutoff}::date and s.tenant_id is null
      group by r.tenant_id, r.day, r.metric_code, t.stripe_customer_id
      order by r.day, r.tenant_id, r.metric_code
      limit ${batch + 1}`),
  );
  const counts = { meter_events_sent: 0, meter_days_skipped: 0, meter_failed: 0 };
  const errors: JobError[] = [];
  for (const row of due.slice(0, batch)) {
    const identifier = `ml-${row.tenant_id}-${row.day}-${row.metric_code}`.slice(0, 100);
    const quantity = row.quantity.includes(".") ? row.quantity.replace(/0+$/, "").replace(/\.$/, "") : row.quantity;
    const tooOld = row.day < oldest;
    try {
      if (!tooOld && quantity !== "0") {
        await stripe.billing.meterEvents.create(
          {
            event_name: `meterline_${row.metric_code}`,
            identifier,
            timestamp: Math.floor(Date.parse(`${row.day}T12:00:00Z`) / 1000),
            payload: { stripe_customer_id: row.customer, value: quantity },
          },
          { idempotencyKey: identifier },
        );
        counts.meter_events_sent += 1;
      } else {
        counts.meter_days_skipped += 1;
      }
      await db
        .insert(stripeMeterSyncs)
        .values({ tenantId: row.tenant_id, day: row.day, metricCode: row.metric_code, quantity, identifier: tooOld ? `skipped:older than ${MAX_AGE_DAYS} days` : identifier })
        .onConflictDoNothing();
    } catch (err) {
      counts.meter_failed += 1;
      errors.push({ item: `meter:${identifier}`, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { counts, errors, hasMore: due.length > batch };
}
