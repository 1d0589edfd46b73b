import type { DbOrTx } from "@/db/client";
import { notifications } from "@/db/schema";

export interface NotificationInput {
  tenantId: string;
  /** e.g. "invoice_issued", "usage_alert", "dunning_grace". */
  kind: string;
  toEmail: string;
  subject: string;
  bodyText: string;
  bodyHtml?: string | null;
  /** Makes the notification idempotent per tenant, e.g. "invoice_issued:<invoice id>". */
  dedupeKey: string;
}

/**
 * Puts a notification into the outbox (in the caller's transaction, so it commits with the billing fact
 * it announces). A second enqueue with the same dedupe key is a no-op. Returns whether a row was written.
 * Delivery (SMTP) happens later, from the outbox.
 */
export async function enqueueNotification(db: DbOrTx, input: NotificationInput): Promise<boolean> {
  const rows = await db
    .insert(notifications)
    .values({
      tenantId: input.tenantId,
      kind: input.kind,
      toEmail: input.toEmail,
      subject: input.subject,
      bodyText: input.bodyText,
      bodyHtml: input.bodyHtml ?? null,
      dedupeKey: input.dedupeKey,
    })
    .onConflictDoNothing({ target: [notifications.tenantId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  return rows.length > 0;
}
