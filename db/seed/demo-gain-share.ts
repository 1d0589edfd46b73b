/**
 * The gain-share demo for a tenant with a year of KPI data: an approved run four months back (decided soon
 * after its month ended, so the demo's invoice run bills it on the next period invoice) and a run for last
 * month awaiting approval. Made through the real services, so audit rows and notifications exist too.
 */
import type { Db } from "@/db/client";
import { createGainShareRun } from "@/lib/services/gain-share/create-run";
import { decideGainShareRun } from "@/lib/services/gain-share/decide-run";
import { loadTenantContext } from "@/lib/services/gain-share/tenant-context";

const DAY = 86_400_000;

function monthStart(now: Date, back: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
}

export async function seedDemoGainShare(db: Db, p: { tenantId: string; operator: { id: string; email: string }; now: Date }) {
  const { plan } = await loadTenantContext(db, p.tenantId);
  if (!plan.gain_share) return { runs: 0 };
  const actor = { kind: "operator_admin" as const, userId: p.operator.id, label: p.operator.email };
  const share = String(plan.gain_share.default_percent);

  const approvedMonth = monthStart(p.now, 4);
  const approvedMonthEnd = monthStart(p.now, 3);
  const approved = await createGainShareRun(db, {
    tenantId: p.tenantId,
    period: approvedMonth.toISOString().slice(0, 7),
    sharePercent: share,
    actor,
    now: new Date(approvedMonthEnd.getTime() + 3 * DAY),
  });
  await decideGainShareRun(db, {
    tenantId: p.tenantId,
    runId: approved.id,
    decision: "approved",
    comment: "KPIs match the plant's maintenance reports.",
    actor,
    now: new Date(approvedMonthEnd.getTime() + 5 * DAY),
  });

  await createGainShareRun(db, {
    tenantId: p.tenantId,
    period: monthStart(p.now, 1).toISOString().slice(0, 7),
    sharePercent: share,
    actor,
    now: p.now,
  });
  return { runs: 2 };
}
