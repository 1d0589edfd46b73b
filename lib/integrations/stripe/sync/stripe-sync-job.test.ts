import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { createTestDb, type TestDb } from "@/db/testing";
import { notifications } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { runDunningJob } from "@/lib/services/dunning/dunning-job";
import { StripeStandIn } from "../testing/stripe-stand-in";
import { CLOSE_AT, invoiceRow, tenantWithOpenInvoice } from "../testing/billing-fixture";
import { runStripeSyncJob } from "./stripe-sync-job";

/** The cron job bodies read their configuration from the environment: Stripe off or on, SMTP off or on. */
describe("stripe-sync and dunning job bodies, configured by the environment", () => {
  let t: TestDb;
  let standIn: StripeStandIn;
  let smtp: SMTPServer;
  let smtpUrl = "";
  const received: string[] = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    t = await createTestDb("pglite");
    standIn = await new StripeStandIn().start();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, cb) {
        stream.on("data", () => {});
        stream.on("end", () => {
          received.push(session.envelope.rcptTo.map((r) => r.address).join(","));
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });
  afterAll(async () => {
    await new Promise<void>((r) => smtp.close(() => r()));
    await standIn?.stop();
    await t?.close();
  });

  const setEnv = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  };

  it("no STRIPE_SECRET_KEY and no SMTP_URL: both jobs are logged no-ops and nothing changes", async () => {
    setEnv({ STRIPE_SECRET_KEY: undefined, STRIPE_API_BASE: undefined, SMTP_URL: undefined });
    const f = await tenantWithOpenInvoice(t.db, { slug: "env-off", stripeEnabled: false });
    const sync = await runStripeSyncJob(t.db, { now: new Date() });
    expect(sync.counts).toMatchObject({ stripe_configured: 0, synced: 0, smtp_configured: 0, emails_sent: 0 });
    const dunning = await runDunningJob(t.db, { now: new Date() });
    expect(dunning.counts).toMatchObject({ evaluated: 0, smtp_configured: 0 });
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "open", stripeSyncStatus: "not_applicable" });
    const [mail] = await t.db.select().from(notifications).where(eq(notifications.tenantId, f.tenantId));
    expect(mail).toMatchObject({ kind: "invoice_issued", status: "pending" });
    expect(standIn.calls).toHaveLength(0);
  });

  it("with STRIPE_SECRET_KEY + STRIPE_API_BASE and SMTP_URL: the invoice reaches Stripe and the email is sent", async () => {
    setEnv({ STRIPE_SECRET_KEY: "sk_test_env_job", STRIPE_API_BASE: standIn.url, SMTP_URL: smtpUrl });
    const f = await tenantWithOpenInvoice(t.db, { slug: "env-on", stripeEnabled: true });
    const out = await runStripeSyncJob(t.db, { now: new Date(Math.max(Date.now(), CLOSE_AT.getTime()) + 60_000) });
    expect(out.counts).toMatchObject({ stripe_configured: 1, synced: 1, paid: 1, smtp_configured: 1 });
    expect(out.counts.emails_sent).toBeGreaterThanOrEqual(2); // invoice issued + payment received (+ the earlier test's)
    expect(await invoiceRow(t.db, f.invoice.id)).toMatchObject({ status: "paid", stripeSyncStatus: "synced" });
    expect(received).toContain("billing@env-on.example");
  });
});
