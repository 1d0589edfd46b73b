import type { DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema";

export type GainShareActor = { kind: "operator_admin" | "api_key" | "system"; userId: string | null; label: string };

/** One audit row (who, when — created_at — and what), written in the caller's transaction. */
export async function auditGainShare(
  tx: DbOrTx,
  p: { tenantId: string; actor: GainShareActor; action: string; entity: string; entityId: string; data: Record<string, unknown> },
) {
  await tx.insert(auditLog).values({
    tenantId: p.tenantId,
    actorUserId: p.actor.userId,
    actorKind: p.actor.kind,
    action: p.action,
    entity: p.entity,
    entityId: p.entityId,
    data: { actor: p.actor.label, ...p.data },
  });
}

/** Postgres unique violation (23505), whichever driver raised it and however drizzle wrapped it. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === "23505") return true;
  }
  return false;
}
