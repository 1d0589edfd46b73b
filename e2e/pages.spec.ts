import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { MEMBER, OPERATOR, OTHER_TENANT_OWNER, OWNER, signIn } from "./helpers";
import { CUSTOMER_PAGES, OPERATOR_PAGES, firstNumber, runInvoiceCron, screenshotBoth, watchPage } from "./pages-support";

const TITAN_OWNER = "owner@titan-mining.example";

test.beforeAll(async ({ request }) => {
  await runInvoiceCron(request);
});

test("a tenant owner reads every customer page: rendered, clean console, screenshots at 1280 and 390", async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, OWNER);
  for (const p of CUSTOMER_PAGES) {
    const res = await page.goto(p.path);
    expect(res?.status(), p.path).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    await expect(page.getByText("Northwind Utilities").first()).toBeVisible();
    await screenshotBoth(page, p.name);
  }
  // The overview shows the engine's upcoming invoice; usage shows charts fed by rollups.
  await page.goto("/billing");
  await expect(page.getByRole("heading", { name: "Upcoming invoice" })).toBeVisible();
  await expect(page.getByText(/CA\$|\$/).first()).toBeVisible();
  await page.goto("/billing/usage");
  await expect(page.getByRole("heading", { name: "Credits by event type" })).toBeVisible();
  await expect(page.getByRole("cell", { name: /LLM tokens/ })).toBeVisible();
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  watch.expectClean();
});

test("invoices: the list after the invoice run, a detail page with lines, and the PDF downloaded", async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, OWNER);
  await page.goto("/billing/invoices");
  const links = page.getByRole("link", { name: /^INV-\d{4}-\d{6}$/ });
  await expect(links.first()).toBeVisible();
  expect(await links.count()).toBeGreaterThanOrEqual(3); // three past periods were closed by the run
  await links.first().click();
  await expect(page.getByRole("heading", { level: 1, name: /^Invoice INV-/ })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Base fee" }).or(page.getByRole("cell", { name: /Base fee/ })).first()).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Total", exact: true })).toBeVisible();
  await screenshotBoth(page, "billing-invoice-detail");

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PDF" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  watch.expectClean();
});

test("tenant isolation: another tenant's invoice page and PDF are not found", async ({ page, browser }) => {
  await signIn(page, OWNER);
  await page.goto("/billing/invoices");
  const href = await page.getByRole("link", { name: /^INV-/ }).first().getAttribute("href");
  expect(href).toMatch(/^\/billing\/invoices\/[0-9a-f-]{36}$/);

  const other = await browser.newPage();
  await signIn(other, OTHER_TENANT_OWNER);
  const res = await other.goto(href!);
  expect(res?.status()).toBe(404);
  await expect(other.getByText("Northwind Utilities")).toHaveCount(0);
  const pdf = await other.request.get(`/api/invoices/${href!.split("/").pop()}/pdf`);
  expect(pdf.status()).toBe(404);
  await other.close();
});

test("an operator admin reads every console page; customers are refused with 403", async ({ page, browser }) => {
  const watch = watchPage(page);
  await signIn(page, OPERATOR);
  for (const p of OPERATOR_PAGES) {
    const res = await page.goto(p.path);
    expect(res?.status(), p.path).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    await screenshotBoth(page, p.name);
  }
  await page.goto("/admin");
  await expect(page.getByRole("cell", { name: /Northwind Utilities/ })).toBeVisible();
  await expect(page.getByRole("cell", { name: /Titan Mining/ })).toBeVisible();
  await page.getByRole("link", { name: "Northwind Utilities" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Northwind Utilities" })).toBeVisible();
  await expect(page.locator('[data-slot="gain-share-baselines"]')).toBeVisible();
  const tenantUrl = new URL(page.url()).pathname;
  await screenshotBoth(page, "admin-tenant");
  watch.expectClean();
  const unknown = await page.goto("/admin/tenants/00000000-0000-4000-8000-000000000000");
  expect(unknown?.status()).toBe(404);

  // The operator (no tenant membership) is refused the customer pages.
  const billing = await page.goto("/billing");
  expect(billing?.status()).toBe(403);

  for (const email of [OWNER, MEMBER]) {
    const customer = await browser.newPage();
    await signIn(customer, email);
    for (const path of [...OPERATOR_PAGES.map((p) => p.path), tenantUrl]) {
      const res = await customer.goto(path);
      expect(res?.status(), `${email} at ${path}`).toBe(403);
      await expect(customer.getByRole("heading", { name: /don.t have access/ })).toBeVisible();
    }
    await customer.close();
  }
});

test("signed-out visitors are sent to sign-in from every page", async ({ page }) => {
  for (const path of [...CUSTOMER_PAGES.map((p) => p.path), ...OPERATOR_PAGES.map((p) => p.path)]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/sign-in/);
  }
});

test("a member sees the plans but cannot change them", async ({ page }) => {
  await signIn(page, MEMBER);
  await page.goto("/billing/plans");
  await expect(page.getByRole("heading", { level: 1, name: "Plans" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Upgrade to|Switch to/ })).toHaveCount(0);
  await expect(page.getByText(/Ask an owner or admin/).first()).toBeVisible();
});

test("a downgrade is scheduled through the dialog, then canceled", async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, TITAN_OWNER);
  await page.goto("/billing/plans");
  await page.getByRole("button", { name: "Switch to Scale" }).click();
  const dialog = page.getByRole("dialog", { name: "Switch to Scale" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("Change per period")).toBeVisible();
  await expect(dialog.getByText(/−\s?(CA)?\$9,000\.00/)).toBeVisible(); // 18,000 → 9,000
  await screenshotBoth(page, "billing-plans-dialog-downgrade");
  await dialog.getByRole("button", { name: "Schedule change" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Your plan changes to Scale" })).toBeVisible();
  await expect(page.getByText(/^Starts /)).toBeVisible();

  await page.goto("/billing");
  await expect(page.getByText(/Your plan changes to Scale/)).toBeVisible();
  await expect(page.getByText("(ENTERPRISE)")).toBeVisible();

  await page.goto("/billing/plans");
  await page.getByRole("button", { name: "Keep Autonomous" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Keep current plan" }).click();
  await expect(page.getByText(/Your plan changes to Scale/)).toHaveCount(0);
  watch.expectClean();
});

test("an upgrade through the dialog previews the new invoice and applies at once", async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, OTHER_TENANT_OWNER); // Acme Foods, on STARTER (Pilot)
  await page.goto("/billing/plans");
  await page.keyboard.press("Tab"); // keyboard-usable: the dialog opens from the keyboard too
  const trigger = page.getByRole("button", { name: "Upgrade to Scale" });
  await trigger.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Upgrade to Scale" });
  await expect(dialog).toBeVisible();
  const before = firstNumber((await dialog.getByText(/^This period on Pilot/).locator("xpath=..").innerText()).split("\n").pop()!);
  const after = firstNumber((await dialog.getByText(/^This period on Scale/).locator("xpath=..").innerText()).split("\n").pop()!);
  const diff = firstNumber((await dialog.getByText("Difference on your next invoice").locator("xpath=..").innerText()).split("\n").pop()!);
  expect(after).toBeGreaterThan(before);
  expect(Math.round((after - before) * 100)).toBe(Math.round(diff * 100));
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await trigger.click();
  await page.getByRole("dialog").getByRole("button", { name: "Confirm upgrade" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  const scale = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Scale" }) });
  await expect(scale.getByText("Current plan")).toBeVisible();

  await page.goto("/billing");
  await expect(page.getByText("(PRO)")).toBeVisible();
  // The overview's upcoming invoice is the previewed total.
  const upcoming = page.locator("section").filter({ has: page.getByRole("heading", { name: "Upcoming invoice" }) });
  expect(firstNumber((await upcoming.locator("p").first().innerText()).replace(/^[^\d]*/, ""))).toBeCloseTo(after, 2);
  watch.expectClean();
});

test("an API key created in the UI sends usage that the usage page then shows", async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto("/billing/usage");
  const quota = page.getByTestId("quota-credits");
  const before = firstNumber(await quota.innerText());

  // helper-2's page: /settings/api-keys (a dialog creates the key and shows it once).
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name").fill(`e2e pages ${Date.now()}`);
  await dialog.getByRole("button", { name: "Create key" }).click();
  const keyText = dialog.getByTestId("new-api-key");
  await expect(keyText).toHaveText(/^ml_live_[A-Za-z0-9]{20,}$/);
  const key = (await keyText.innerText()).trim();

  const res = await page.request.post("/api/usage", {
    headers: { Authorization: `Bearer ${key}` },
    data: { event_type: "simulator_run", quantity: 2, idempotency_key: `e2e-pages-${Date.now()}` },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const body = await res.json();
  expect(String(body.credits_burned)).toMatch(/^2000(\.0+)?$/);

  await page.goto("/billing/usage");
  await expect(quota).toBeVisible();
  expect(firstNumber(await quota.innerText())).toBe(before + 2000);
  await expect(page.getByRole("cell", { name: /Simulator runs/ })).toBeVisible();
});
