import nodemailer from "nodemailer";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Sent as Message-ID-like header so a resend after a crash can be recognised downstream. */
  notificationId: string;
}

/** Delivers one email; throws on failure (the outbox worker retries). */
export type EmailSender = (email: OutgoingEmail) => Promise<void>;

/** An SMTP sender (nodemailer) for SMTP_URL, e.g. smtp://user:pass@mail.example:587 or smtps://… */
export function smtpSender(params: { smtpUrl: string; from: string }): EmailSender {
  const transport = nodemailer.createTransport(params.smtpUrl);
  return async (email) => {
    await transport.sendMail({
      from: params.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html ?? undefined,
      headers: { "X-Meterline-Notification": email.notificationId },
    });
  };
}
