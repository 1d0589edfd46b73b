import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Debian's Chromium (never `npx playwright install`: there is no network for browser downloads).
const chromiumArgs = [
  "--no-sandbox",
  "--headless=new",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // A production build on a fresh embedded database: seeded on start like a new user's first run.
    command: `rm -rf .data/e2e && npx next build && npx next start -p ${PORT} -H 127.0.0.1`,
    url: `${BASE_URL}/sign-in`,
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    // A webhook secret but no STRIPE_SECRET_KEY: Stripe stays off; signed test events can still be delivered.
    env: { PGLITE_DIR: ".data/e2e/pglite", NODE_ENV: "production", CRON_SECRET: "e2e-cron-secret-0123456789", STRIPE_WEBHOOK_SECRET: "whsec_e2e_meterline_0123456789" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
