import { expect, test } from "@playwright/test";
import Stripe from "stripe";
import { OPERATOR, OWNER, signIn } from "./helpers";
import { runInvoiceCron, screenshotBoth, watchPage } from "./pages-support";

const WEBHOOK_SECRET = "whsec_e2e_meterline_0123456789"; // playwright.config.ts webServer env
const signer = new Stripe("sk_test_signer_only");
const eventId = `evt_e2e_${Date.now().toString(36)}`;

function signed(event: Record<string, unknown>, secret = WEBHOOK_SECRET) {
  const body = JSON.stringify(event);
  return { body, signature: signer.webhooks.generateTestHeaderString({ payload: body, secret }) };
}

test.beforeAll(async ({ request }) => {
  await runInvoiceCron(request); // queues "invoice issued" emails in the outbox
});

test("Stripe webhooks: a bad signature is refused, a signed event is logged, shown with its payload and replayed", async ({ page, request }) => {
  const event = {
    id: eventId,
    object: "event",
    type: "customer.created",
    created: Math.floor(Date.now() / 1000),
    api_version: "2026-10-28.endive",
    data: { object: { id: "cus_e2e", object: "customer", email: "someone@example.com" } },
  };
  const bad = signed(event, "whsec_not_the_right_one");
  const refused = await request.post("/api/webhooks/stripe", { data: bad.body, headers: { "stripe-signature": bad.signature, "content-type": "application/json" } });
  expect(refused.status()).toBe(400);
  const good = signed(event);
  const accepted = await request.post("/api/webhooks/stripe", { data: good.body, headers: { "stripe-signature": good.signature, "content-type": "application/json" } });
  expect(accepted.status()).toBe(200);
  expect(await accepted.json()).toMatchObject({ received: true, outcome: "ignored" });
  const again = await request.post("/api/webhooks/stripe", { data: good.body, headers: { "stripe-signature": good.signature, "content-type": "application/json" } });
  expect(await again.json()).toMatchObject({ outcome: "duplicate" });

  const watch = watchPage(page);
  await signIn(page, OPERATOR);
  await page.goto("/admin/webhooks");
  await expect(page.getByRole("heading", { level: 1, name: "Stripe webhooks" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Webhooks" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: eventId });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("ignored", { exact: true })).toBeVisible();
  await screenshotBoth(page, "admin-webhooks");
  await row.getByRole("link", { name: eventId }).click();
  await expect(page.getByRole("heading", { level: 1, name: "customer.created" })).toBeVisible();
  await expect(page.getByLabel("Event payload (JSON)")).toContainText('"someone@example.com"');
  await page.getByRole("button", { name: "Replay event" }).click();
  await expect(page.getByRole("status")).toContainText("Replayed: ignored");
  await screenshotBoth(page, "admin-webhook-event");

  await page.goto("/admin/notifications");
  await expect(page.getByRole("heading", { level: 1, name: "Notification outbox" })).toBeVisible();
  await expect(page.getByText("SMTP_URL is not set")).toBeVisible();
  await expect(page.getByText("invoice_issued").first()).toBeVisible();
  await page.getByRole("link", { name: /^Pending/ }).click();
  await expect(page).toHaveURL(/status=pending/);
  await screenshotBoth(page, "admin-notifications");
  watch.expectClean();
});

test("a tenant owner cannot read the webhook log or the outbox", async ({ page }) => {
  await signIn(page, OWNER);
  for (const path of ["/admin/webhooks", "/admin/notifications", `/admin/webhooks/${eventId}`]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
  }
});
