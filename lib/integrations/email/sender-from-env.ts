import { env } from "@/lib/env";
import { smtpSender, type EmailSender } from "./smtp-sender";

let cached: { url: string; sender: EmailSender } | undefined;

/** The SMTP sender for SMTP_URL / MAIL_FROM, or null when no SMTP server is configured. */
export function emailSenderFromEnv(): EmailSender | null {
  const e = env();
  if (!e.SMTP_URL) return null;
  if (cached?.url !== e.SMTP_URL) cached = { url: e.SMTP_URL, sender: smtpSender({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM }) };
  return cached.sender;
}
