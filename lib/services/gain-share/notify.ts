import type { DbOrTx } from "@/db/client";
import type { tenants } from "@/db/schema";
import { enqueueNotification } from "@/lib/services/notifications/enqueue";
import type { RunRow } from "./run-types";

type Tenant = typeof tenants.$inferSelect;

/** Outbox rows (in the run's transaction) telling the tenant's billing contact a run was created / decided. */
export async function notifyRunCreated(tx: DbOrTx, tenant: Tenant, run: RunRow) {
  if (!tenant.billingEmail) return;
  const month = run.periodStart.slice(0, 7);
  await enqueueNotification(tx, {
    tenantId: tenant.id,
    kind: "gain_share_run_created",
    toEmail: tenant.billingEmail,
    subject: `Gain-share report for ${month} is awaiting approval`,
    bodyText:
      `A gain-share run for ${month} was computed for ${tenant.name}: total savings ${run.totalSavings} ${run.currency}, ` +
      `share ${run.sharePercent}%, fee ${run.fee} ${run.currency}. It is pending approval; you can read the per-KPI breakdown under Billing → Gain-share.`,
    dedupeKey: `gain_share_run_created:${run.id}`,
  });
}

export async function notifyRunDecided(tx: DbOrTx, tenant: Tenant, run: RunRow) {
  if (!tenant.billingEmail) return;
  const month = run.periodStart.slice(0, 7);
  const approved = run.status === "approved";
  await enqueueNotification(tx, {
    tenantId: tenant.id,
    kind: approved ? "gain_share_run_approved" : "gain_share_run_rejected",
    toEmail: tenant.billingEmail,
    subject: `Gain-share report for ${month} ${approved ? "approved" : "rejected"}`,
    bodyText: approved
      ? `The gain-share fee of ${run.fee} ${run.currency} for ${month} was approved and will be added to your next invoice. Comment: ${run.decisionComment ?? ""}`
      : `The gain-share run for ${month} was rejected; no fee will be charged for it. Comment: ${run.decisionComment ?? ""}`,
    dedupeKey: `gain_share_run_decided:${run.id}`,
  });
}
