"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { auditLog } from "@/db/schema";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { stripeFromEnv } from "@/lib/integrations/stripe/client";
import { replayStripeEvent } from "@/lib/integrations/stripe/webhook/process-event";

const replaySchema = z.strictObject({ eventId: z.string().regex(/^evt_[A-Za-z0-9_]{1,255}$/, "not a Stripe event id") });

/** Re-runs a stored Stripe event through its handler (forward-only handlers make this safe), audited. */
export async function replayWebhookEventAction(formData: FormData): Promise<void> {
  const user = await requireOperatorAdmin();
  const parsed = replaySchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect(`/admin/webhooks?error=${encodeURIComponent(parsed.error.issues[0].message)}`);
  const { eventId } = parsed.data;
  const db = await getDb();
  const result = await replayStripeEvent(db, eventId, { stripe: stripeFromEnv(), appUrl: env().APP_URL });
  if (!result) redirect(`/admin/webhooks?error=${encodeURIComponent(`event ${eventId} not found`)}`);
  await db.insert(auditLog).values({
    tenantId: null,
    actorUserId: user.id,
    actorKind: "operator_admin",
    action: "stripe.webhook_replayed",
    entity: "stripe_webhook_event",
    entityId: eventId,
    data: { outcome: result.outcome, note: result.note ?? null },
  });
  revalidatePath("/admin/webhooks");
  redirect(`/admin/webhooks/${encodeURIComponent(eventId)}?replayed=${result.outcome}`);
}
