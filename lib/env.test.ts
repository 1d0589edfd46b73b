import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("runs with nothing set (the embedded demo)", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.CATALOG).toBe("reliability-ai");
    expect(env.INVOICE_PREFIX).toBe("INV");
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ CRON_SECRET: "short" }, "CRON_SECRET"],
    [{ STRIPE_SECRET_KEY: "pk_live_123" }, "STRIPE_SECRET_KEY"],
    [{ CATALOG: "nope" }, "CATALOG"],
    [{ INVOICE_DUE_DAYS: "soon" }, "INVOICE_DUE_DAYS"],
    [{ NEXT_PUBLIC_SUPABASE_URL: "https://x.supabase.co" }, "NEXT_PUBLIC_SUPABASE_ANON_KEY"],
    [{ NODE_ENV: "production", DATABASE_URL: "postgres://db/x" }, "SESSION_SECRET"],
  ])("names the bad variable: %o", (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(new RegExp(name));
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", STRIPE_SECRET_KEY: " " }).DATABASE_URL).toBeUndefined();
  });

  it("every variable it reads is documented in .env.example and the README", () => {
    const source = readFileSync(new URL("./env.ts", import.meta.url), "utf8");
    const names = [...source.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]).filter((n) => n !== "NODE_ENV");
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const name of names) {
      expect(example, `${name} in .env.example`).toContain(name);
      expect(readme, `${name} in README.md`).toContain(`\`${name}\``);
    }
  });
});
