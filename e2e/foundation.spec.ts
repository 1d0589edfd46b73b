import { expect, test } from "@playwright/test";
import { OTHER_TENANT_OWNER, OWNER, signIn } from "./helpers";

test("the demo owner signs in and sees the plan on /billing", async ({ page }) => {
  await signIn(page, OWNER);
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByRole("heading", { name: "Billing overview" })).toBeVisible();
  await expect(page.getByText("Northwind Utilities").first()).toBeVisible();
  await expect(page.getByText("(PRO)")).toBeVisible();
  await expect(page.getByText(/of 1,000,000 credits used/)).toBeVisible();
});

test("a user of another tenant cannot see the first tenant's data", async ({ page }) => {
  await signIn(page, OTHER_TENANT_OWNER);
  await expect(page.getByText("Acme Foods").first()).toBeVisible();
  await expect(page.getByText("Northwind Utilities")).toHaveCount(0);
  // Choosing the other tenant through the tenant cookie does not switch to it: membership decides.
  await page.context().addCookies([{ name: "ml_tenant", value: "northwind", url: page.url() }]);
  await page.goto("/billing");
  await expect(page.getByText("Acme Foods").first()).toBeVisible();
  await expect(page.getByText("Northwind Utilities")).toHaveCount(0);
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, OWNER);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/billing");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a signed-out visitor is sent to sign-in and a wrong password is refused", async ({ page }) => {
  await page.goto("/billing");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(OWNER);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("Email or password is incorrect.");
});
