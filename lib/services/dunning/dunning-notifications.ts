/** The emails of payments and dunning: one template per step, rendered as plain text plus simple HTML. */
import type { Tx } from "@/db/client";
import { formatAmount } from "@/lib/domain/money";
import { renderEmail } from "@/lib/integrations/email/render-email";
import { enqueueNotification } from "@/lib/services/notifications/enqueue";
import { billingContact, type InvoiceRow } from "./dunning-context";

export type PaymentTemplate =
  | "payment_failed"
  | "payment_retry_failed"
  | "payment_reminder"
  | "dunning_past_due"
  | "dunning_suspended"
  | "payment_recovered"
  | "payment_succeeded";

const day = (d: Date) => d.toISOString().slice(0, 10);

function content(template: PaymentTemplate, p: { tenantName: string; invoice: InvoiceRow | null; appUrl: string; graceEndsAt?: Date | null; suspendAt?: Date | null }) {
  const inv = p.invoice;
  const amount = inv ? `${formatAmount(inv.total, inv.currency)} ${inv.currency}` : "";
  const ref = inv ? `invoice ${inv.number} (${amount})` : "your open invoice";
  const action = { label: "Review billing", url: `${p.appUrl}/billing` };
  switch (template) {
    case "payment_failed":
      return renderEmail({
        subject: `Payment failed for ${inv?.number ?? "your invoice"}`,
        greeting: `Hello ${p.tenantName},`,
        paragraphs: [
          `We could not collect the payment for ${ref}.`,
          `Your account stays fully active during a grace period${p.graceEndsAt ? ` until ${day(p.graceEndsAt)}` : ""}; we will retry the payment automatically. Please check your payment method.`,
        ],
        action,
      });
    case "payment_retry_failed":
      return renderEmail({
        subject: `Payment retry failed for ${inv?.number ?? "your invoice"}`,
        greeting: `Hello ${p.tenantName},`,
        paragraphs: [`Another attempt to collect ${ref} failed. Please update your payment method.`],
        action,
      });
    case "payment_reminder":
      return renderEmail({
        subject: `Reminder: ${inv?.number ?? "an invoice"} is unpaid`,
        greeting: `Hello ${p.tenantName},`,
        paragraphs: [`${ref.charAt(0).toUpperCase()}${ref.slice(1)} is still unpaid. Please arrange payment to keep your account in good standing.`],
        action,
      });
    case "dunning_past_due":
      return renderEmail({
        subject: "Your account is past due",
        greeting: `Hello ${p.tenantName},`,
        paragraphs: [
          `The grace period for ${ref} has ended and your account is now past due.`,
          `If the payment is not received${p.suspendAt ? ` by ${day(p.suspendAt)}` : ""}, usage will be suspended. Your data is kept.`,
        ],
        action,
      });
    case "dunning_suspended":
      return renderEmail({
        subject: "Your account is suspended for non-payment",
        greeting: `Hello ${p.tenantName},`,
        paragraphs: [
          `Because ${ref} remains unpaid, your account is suspended: new usage is not accepted until the payment is received.`,
          "Nothing has been deleted. Service resumes as soon as the payment succeeds.",
        ],
        action,
      });
    case "payment_recovered":
      return renderEmail({
        subject: "Payment received: your account is in good standing",
        greeting: `Hello ${p.tenantName},`,
        paragraphs: [`We received the payment${inv ? ` for ${ref}` : ""}. Your account is back in good standing and fully active.`],
        action,
      });
    case "payment_succeeded":
      return renderEmail({
        subject: `Payment received for ${inv?.number ?? "your invoice"}`,
        greeting: `Hello ${p.tenantName},`,
        paragraphs: [`Thank you: we received the payment for ${ref}.`],
        action,
      });
  }
}

/** Queues one payment/dunning email in the caller's transaction; the dedupe key makes it once-only. */
export async function notifyPayment(
  tx: Tx,
  params: {
    tenantId: string;
    template: PaymentTemplate;
    invoice: InvoiceRow | null;
    dedupeKey: string;
    appUrl: string;
    graceEndsAt?: Date | null;
    suspendAt?: Date | null;
  },
): Promise<boolean> {
  const contact = await billingContact(tx, params.tenantId);
  if (!contact) return false;
  const c = content(params.template, { tenantName: contact.name, invoice: params.invoice, appUrl: params.appUrl, graceEndsAt: params.graceEndsAt, suspendAt: params.suspendAt });
  return enqueueNotification(tx, {
    tenantId: params.tenantId,
    kind: params.template,
    toEmail: contact.email,
    subject: c.subject,
    bodyText: c.bodyText,
    bodyHtml: c.bodyHtml,
    dedupeKey: params.dedupeKey,
  });
}
