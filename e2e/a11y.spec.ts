import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { OPERATOR, OWNER, signIn } from "./helpers";
import { CUSTOMER_PAGES, OPERATOR_PAGES, runInvoiceCron } from "./pages-support";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(" | ")}`);
}

test.beforeAll(async ({ request }) => {
  await runInvoiceCron(request);
});

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`customer pages have no serious or critical axe violations at ${viewport.width}px`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await signIn(page, OWNER);
    for (const p of CUSTOMER_PAGES) {
      await page.goto(p.path);
      await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
      expect(await seriousViolations(page), p.path).toEqual([]);
    }
    await page.goto("/billing/invoices");
    await page.getByRole("link", { name: /^INV-/ }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: /^Invoice INV-/ })).toBeVisible();
    expect(await seriousViolations(page), "invoice detail").toEqual([]);
  });

  test(`operator pages have no serious or critical axe violations at ${viewport.width}px`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await signIn(page, OPERATOR);
    for (const p of OPERATOR_PAGES) {
      await page.goto(p.path);
      await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
      expect(await seriousViolations(page), p.path).toEqual([]);
    }
    await page.goto("/admin");
    await page.getByRole("link", { name: "Northwind Utilities" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Northwind Utilities" })).toBeVisible();
    expect(await seriousViolations(page), "tenant detail").toEqual([]);
  });
}

test("the open plan-change dialog has no serious or critical axe violations and traps focus", async ({ page }) => {
  await signIn(page, "owner@titan-mining.example");
  await page.goto("/billing/plans");
  await page.getByRole("button", { name: "Switch to Scale" }).click();
  const dialog = page.getByRole("dialog", { name: "Switch to Scale" });
  await expect(dialog).toBeVisible();
  expect(await seriousViolations(page), "dialog").toEqual([]);
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});
