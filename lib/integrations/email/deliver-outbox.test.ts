import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { createTestDb, type TestDb } from "@/db/testing";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { notifications } from "@/db/schema";
import { enqueueNotification } from "@/lib/services/notifications/enqueue";
import { deliverOutbox, emailBackoffMs, MAX_EMAIL_ATTEMPTS } from "./deliver-outbox";
import { renderEmail } from "./render-email";
import { smtpSender } from "./smtp-sender";

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP server in the test process that keeps what it receives, or refuses recipients on demand. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.refuse) return callback(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? (session.envelope.mailFrom as { address: string }).address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("email outbox through SMTP", () => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let tenantId: string;
  beforeAll(async () => {
    t = await createTestDb("pglite");
    smtp = await startSmtp();
    const f = await createTenantWithSubscription(t.db, { catalog: "reliability-ai", plan: "STARTER", slug: "mail", anchorAt: new Date("2026-01-01T00:00:00Z"), now: new Date("2026-01-10T00:00:00Z") });
    tenantId = f.tenantId;
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  // Rows are queued with next_attempt_at = the database clock; the runs look a minute later.
  const now = new Date(Date.now() + 60_000);

  it("without SMTP nothing is sent and the outbox keeps the message pending", async () => {
    const c = renderEmail({ subject: "Pending only", paragraphs: ["x"] });
    await enqueueNotification(t.db, { tenantId, kind: "test", toEmail: "a@mail.example", subject: c.subject, bodyText: c.bodyText, bodyHtml: c.bodyHtml, dedupeKey: "nosmtp" });
    const out = await deliverOutbox(t.db, { now, sender: null });
    expect(out.counts).toMatchObject({ smtp_configured: 0, emails_sent: 0 });
    const [row] = await t.db.select().from(notifications).where(eq(notifications.dedupeKey, "nosmtp"));
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
    await t.db.delete(notifications).where(eq(notifications.dedupeKey, "nosmtp"));
  });

  it("an email is received by the SMTP server, as plain text and HTML, and marked sent once", async () => {
    const c = renderEmail({ subject: "Payment failed for INV-2026-000001", greeting: "Hello Mail Co,", paragraphs: ["We could not collect <10,791.50 CAD>."], action: { label: "Review billing", url: "http://meterline.test/billing" } });
    await enqueueNotification(t.db, { tenantId, kind: "payment_failed", toEmail: "billing@mail.example", subject: c.subject, bodyText: c.bodyText, bodyHtml: c.bodyHtml, dedupeKey: "pf-1" });
    const sender = smtpSender({ smtpUrl: smtp.url, from: "Meterline <billing@meterline.test>" });
    const out = await deliverOutbox(t.db, { now, sender });
    expect(out.counts).toMatchObject({ smtp_configured: 1, emails_claimed: 1, emails_sent: 1 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.from).toBe("billing@meterline.test");
    expect(mail.to).toEqual(["billing@mail.example"]);
    expect(mail.raw).toMatch(/^Subject: Payment failed for INV-2026-000001/m);
    expect(mail.raw).toMatch(/multipart\/alternative/);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    const decoded = decodeQuotedPrintable(mail.raw);
    expect(decoded).toContain("&lt;10,791.50 CAD&gt;"); // escaped in HTML
    expect(decoded).toContain("We could not collect <10,791.50 CAD>."); // as is in text
    expect(decoded).toContain('href="http://meterline.test/billing"');
    const [row] = await t.db.select().from(notifications).where(eq(notifications.dedupeKey, "pf-1"));
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    expect(row.sentAt!.toISOString()).toBe(now.toISOString());
    // A second run sends nothing more.
    const again = await deliverOutbox(t.db, { now: new Date(now.getTime() + 3_600_000), sender });
    expect(again.counts.emails_claimed).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it("a refused delivery is retried with backoff and ends failed after the last attempt", async () => {
    await enqueueNotification(t.db, { tenantId, kind: "test", toEmail: "nobody@mail.example", subject: "Bounce", bodyText: "x", dedupeKey: "bounce" });
    const sender = smtpSender({ smtpUrl: smtp.url, from: "billing@meterline.test" });
    smtp.state.refuse = true;
    let at = now;
    const waits: number[] = [];
    for (let i = 1; i <= MAX_EMAIL_ATTEMPTS; i++) {
      if (i > 1) {
        const early = await deliverOutbox(t.db, { now: new Date(at.getTime() - 1), sender });
        expect(early.counts.emails_claimed).toBe(0);
      }
      await deliverOutbox(t.db, { now: at, sender });
      const [row] = await t.db.select().from(notifications).where(eq(notifications.dedupeKey, "bounce"));
      expect(row.attempts).toBe(i);
      expect(row.lastError).toMatch(/mailbox unavailable/);
      if (i < MAX_EMAIL_ATTEMPTS) {
        expect(row.status).toBe("pending");
        waits.push(row.nextAttemptAt.getTime() - at.getTime());
        at = row.nextAttemptAt;
      } else {
        expect(row.status).toBe("failed");
      }
    }
    expect(waits).toEqual([1, 2, 3, 4, 5].map(emailBackoffMs));
    smtp.state.refuse = false;
    const later = await deliverOutbox(t.db, { now: new Date(at.getTime() + 86_400_000), sender });
    expect(later.counts.emails_claimed).toBe(0);
  });
});
