"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { requeueNotification } from "@/lib/integrations/email/outbox-queries";

const schema = z.strictObject({ notificationId: z.uuid() });

/** Puts a failed notification back in the queue; the next stripe-sync or dunning run sends it. */
export async function requeueNotificationAction(formData: FormData): Promise<void> {
  const user = await requireOperatorAdmin();
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/admin/notifications?error=invalid");
  const ok = await requeueNotification(await getDb(), { notificationId: parsed.data.notificationId, actorUserId: user.id, now: new Date() });
  revalidatePath("/admin/notifications");
  redirect(`/admin/notifications?${ok ? "requeued=1" : "error=not_failed"}`);
}
