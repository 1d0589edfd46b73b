import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "meterline-demo";
export const OWNER = "owner@northwind.example";
export const MEMBER = "member@northwind.example";
export const OTHER_TENANT_OWNER = "owner@acme-foods.example";
export const OPERATOR = "admin@meterline.example";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}
