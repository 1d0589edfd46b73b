/** Operator reads and actions on the notification outbox (/admin/notifications). */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { auditLog, notifications, tenants } from "@/db/schema";

export type NotificationStatus = "pending" | "sent" | "failed";

export async function listOutbox(db: DbOrTx, params: { status?: NotificationStatus; limit?: number } = {}) {
  return db
    .select({ n: notifications, tenantName: tenants.name })
    .from(notifications)
    .leftJoin(tenants, eq(tenants.id, notifications.tenantId))
    .where(params.status ? eq(notifications.status, params.status) : undefined)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(Math.min(params.limit ?? 100, 500));
}

export async function outboxCounts(db: DbOrTx): Promise<Record<NotificationStatus, number>> {
  const rows = await db
    .select({ status: notifications.status, n: sql<number>`count(*)`.mapWith(Number) })
    .from(notifications)
    .groupBy(notifications.status);
  const out: Record<NotificationStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}

/** Puts a failed notification back in the queue (attempts reset), audited. Only failed rows move. */
export async function requeueNotification(db: Db, params: { notificationId: string; actorUserId: string; now: Date }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(notifications)
      .set({ status: "pending", attempts: 0, nextAttemptAt: params.now })
      .where(and(eq(notifications.id, params.notificationId), eq(notifications.status, "failed")))
      .returning({ tenantId: notifications.tenantId, id: notifications.id, kind: notifications.kind });
    if (rows.length === 0) return false;
    await tx.insert(auditLog).values({
      tenantId: rows[0].tenantId,
      actorUserId: params.actorUserId,
      actorKind: "operator_admin",
      action: "notification.requeued",
      entity: "notification",
      entityId: rows[0].id,
      data: { kind: rows[0].kind },
    });
    return true;
  });
}
