/**
 * The outbox worker: sends pending notifications through SMTP after the transactions that queued them have
 * committed. A batch is claimed with FOR UPDATE SKIP LOCKED and leased (next_attempt_at moved ahead), so two
 * overlapping runs never send one row twice and a crashed run's rows come back after the lease. A failure is
 * retried with exponential backoff; after MAX_EMAIL_ATTEMPTS the row is `failed` for good (visible at
 * /admin/notifications). Without SMTP_URL nothing is sent: the outbox is the record admins read.
 */
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { notifications } from "@/db/schema";
import type { JobError } from "@/lib/services/automation/run-job";
import type { EmailSender } from "./smtp-sender";

export const MAX_EMAIL_ATTEMPTS = 6;
export const EMAIL_LEASE_MS = 5 * 60_000;

/** 1, 4, 16, 64, 256 minutes (capped at 12 h) after attempts 1…5. */
export function emailBackoffMs(attempts: number): number {
  return Math.min(60_000 * 4 ** Math.max(0, attempts - 1), 12 * 3_600_000);
}

export interface OutboxCounts {
  smtp_configured: number;
  emails_claimed: number;
  emails_sent: number;
  emails_retry_later: number;
  emails_failed: number;
}

export async function deliverOutbox(
  db: Db,
  options: { now: Date; batch?: number; sender: EmailSender | null },
): Promise<{ counts: OutboxCounts; errors: JobError[]; hasMore: boolean }> {
  const counts: OutboxCounts = { smtp_configured: options.sender ? 1 : 0, emails_claimed: 0, emails_sent: 0, emails_retry_later: 0, emails_failed: 0 };
  if (!options.sender) return { counts, errors: [], hasMore: false };
  const { now } = options;
  const batch = Math.max(1, Math.min(options.batch ?? 100, 1000));
  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.status, "pending"), lte(notifications.nextAttemptAt, now)))
      .orderBy(asc(notifications.nextAttemptAt), asc(notifications.id))
      .limit(batch + 1)
      .for("update", { skipLocked: true });
    const mine = due.slice(0, batch);
    if (mine.length > 0) {
      await tx
        .update(notifications)
        .set({ nextAttemptAt: new Date(now.getTime() + EMAIL_LEASE_MS) })
        .where(inArray(notifications.id, mine.map((n) => n.id)));
    }
    return { rows: mine, more: due.length > batch };
  });
  counts.emails_claimed = claimed.rows.length;
  const errors: JobError[] = [];
  for (const n of claimed.rows) {
    const where = and(eq(notifications.tenantId, n.tenantId), eq(notifications.id, n.id));
    try {
      await options.sender({ to: n.toEmail, subject: n.subject, text: n.bodyText, html: n.bodyHtml, notificationId: n.id });
      await db.update(notifications).set({ status: "sent", sentAt: now, attempts: n.attempts + 1, lastError: null }).where(where);
      counts.emails_sent += 1;
    } catch (err) {
      const attempts = n.attempts + 1;
      const final = attempts >= MAX_EMAIL_ATTEMPTS;
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      await db
        .update(notifications)
        .set({ status: final ? "failed" : "pending", attempts, lastError: message, nextAttemptAt: final ? now : new Date(now.getTime() + emailBackoffMs(attempts)) })
        .where(where);
      if (final) counts.emails_failed += 1;
      else counts.emails_retry_later += 1;
      errors.push({ item: `notification:${n.id}`, message });
    }
  }
  return { counts, errors, hasMore: claimed.more };
}
