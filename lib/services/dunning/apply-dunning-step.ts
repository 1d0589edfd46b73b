import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditLog, subscriptions } from "@/db/schema";
import type { DunningPolicy } from "@/lib/domain/catalog/types";
import type { DunningStep } from "@/lib/domain/dunning/next-dunning-step";
import { addDays } from "@/lib/domain/period";
import type { ActorRef, InvoiceRow, SubscriptionRow } from "./dunning-context";
import { notifyPayment } from "./dunning-notifications";

/**
 * Writes what the pure state machine decided: the subscription's dunning state and clock, one audit entry per
 * state change, and one outbox email per notify action (deduplicated per episode and template, so a replayed
 * step never mails twice). Retry actions are returned to the caller, which owns the payment attempts.
 */
export async function applyDunningStep(
  tx: Tx,
  params: { sub: SubscriptionRow; step: DunningStep; policy: DunningPolicy; invoice: InvoiceRow | null; actor: ActorRef; appUrl: string; reason: string },
): Promise<{ changed: boolean; retries: number[] }> {
  const { sub, step, policy, invoice } = params;
  const changed = step.state !== sub.dunningState || (step.failed_at?.getTime() ?? null) !== (sub.dunningSince?.getTime() ?? null);
  if (changed) {
    await tx
      .update(subscriptions)
      .set({ dunningState: step.state, dunningSince: step.failed_at })
      .where(and(eq(subscriptions.tenantId, sub.tenantId), eq(subscriptions.id, sub.id)));
  }
  if (step.state !== sub.dunningState) {
    await tx.insert(auditLog).values({
      tenantId: sub.tenantId,
      actorUserId: params.actor.userId,
      actorKind: params.actor.kind,
      action: `dunning.${step.state === "ok" ? "recovered" : step.state}`,
      entity: "subscription",
      entityId: sub.id,
      data: { from: sub.dunningState, to: step.state, reason: params.reason, failedAt: step.failed_at?.toISOString() ?? null, invoice: invoice?.number ?? null },
    });
  }
  // The episode is named by when it began; a recovery names the episode it ends.
  const episode = (step.failed_at ?? sub.dunningSince)?.toISOString() ?? "none";
  for (const action of step.actions) {
    if (action.type !== "notify") continue;
    const failedAt = step.failed_at;
    await notifyPayment(tx, {
      tenantId: sub.tenantId,
      template: action.template,
      invoice,
      dedupeKey: `dunning:${sub.id}:${episode}:${action.template}`,
      appUrl: params.appUrl,
      graceEndsAt: failedAt ? addDays(failedAt, policy.grace_days) : null,
      suspendAt: failedAt ? addDays(failedAt, policy.suspend_after_days) : null,
    });
  }
  const retries = step.actions.flatMap((a) => (a.type === "retry_payment" ? [a.attempt] : []));
  return { changed, retries };
}
