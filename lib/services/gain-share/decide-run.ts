/**
 * Approve or reject a pending run, by an operator admin with a comment. One conditional UPDATE decides:
 * when two admins decide at once, the first commit wins and the other finds no pending row → 409 naming
 * the decision already taken. The audit row and the notification commit with the decision.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gainShareRuns, tenants, users } from "@/db/schema";
import { AppError, notFound } from "@/lib/http/errors";
import { auditGainShare, type GainShareActor } from "./audit";
import { notifyRunDecided } from "./notify";
import type { RunRow } from "./run-types";

export async function decideGainShareRun(
  db: Db,
  p: { tenantId: string; runId: string; decision: "approved" | "rejected"; comment: string; actor: GainShareActor; now: Date },
): Promise<RunRow> {
  const decided = await db.transaction(async (tx) => {
    const [run] = await tx
      .update(gainShareRuns)
      .set({ status: p.decision, decidedBy: p.actor.userId, decidedAt: p.now, decisionComment: p.comment })
      .where(and(eq(gainShareRuns.tenantId, p.tenantId), eq(gainShareRuns.id, p.runId), eq(gainShareRuns.status, "pending_approval")))
      .returning();
    if (!run) return null;
    await auditGainShare(tx, {
      tenantId: p.tenantId,
      actor: p.actor,
      action: `gain_share_run.${p.decision}`,
      entity: "gain_share_run",
      entityId: run.id,
      data: { period: run.periodStart.slice(0, 7), fee: run.fee, currency: run.currency, comment: p.comment },
    });
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, p.tenantId));
    await notifyRunDecided(tx, tenant, run);
    return run;
  });
  if (decided) return decided;

  const [current] = await db
    .select({ run: gainShareRuns, decidedByEmail: users.email })
    .from(gainShareRuns)
    .leftJoin(users, eq(users.id, gainShareRuns.decidedBy))
    .where(and(eq(gainShareRuns.tenantId, p.tenantId), eq(gainShareRuns.id, p.runId)));
  if (!current) throw notFound("No such gain-share run");
  const by = current.decidedByEmail ? ` by ${current.decidedByEmail}` : "";
  const at = current.run.decidedAt ? ` at ${current.run.decidedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "";
  throw new AppError(
    409,
    "already_decided",
    `This run was already ${current.run.status}${by}${at}; your ${p.decision === "approved" ? "approval" : "rejection"} was not applied`,
  );
}
