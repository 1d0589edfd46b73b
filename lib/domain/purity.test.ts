/**
 * lib/domain must stay pure: no framework, database, payment or auth imports, no environment and no
 * clock. This test scans every source file under lib/domain and fails on the first offence; the
 * scanner is itself tested against bad samples so this test can fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const FORBIDDEN_MODULES: { name: string; test: (specifier: string) => boolean }[] = [
  { name: "next", test: (s) => s === "next" || s.startsWith("next/") },
  { name: "drizzle-orm", test: (s) => s === "drizzle-orm" || s.startsWith("drizzle-orm/") },
  { name: "stripe", test: (s) => s === "stripe" || s.startsWith("stripe/") },
  { name: "@supabase/*", test: (s) => s.startsWith("@supabase/") },
  { name: "db/", test: (s) => s === "@/db" || s.startsWith("@/db/") || /(^|\/)db(\/|$)/.test(s) },
];

const FORBIDDEN_CODE: { name: string; pattern: RegExp }[] = [
  { name: "process.env", pattern: /\bprocess\s*\.\s*env\b/ },
  { name: "Date.now()", pattern: /\bDate\s*\.\s*now\s*\(/ },
  { name: "new Date() without arguments", pattern: /\bnew\s+Date\s*\(\s*\)/ },
];

/** Removes comments so that prose such as "no Date.now()" is not an offence. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:\\"'`])\/\/.*$/gm, "$1");
}

/** Every offence in a source text: forbidden module specifiers and forbidden calls. */
export function findImpurities(source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  const specifiers = [
    ...code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*["'`]([^"'`]+)["'`]/g),
    ...code.matchAll(/\bimport\s*["'`]([^"'`]+)["'`]/g),
    ...code.matchAll(/\b(?:import|require)\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g),
  ].map((m) => m[1]);
  for (const specifier of specifiers) {
    for (const rule of FORBIDDEN_MODULES) if (rule.test(specifier)) found.push(`imports ${specifier} (${rule.name})`);
  }
  for (const rule of FORBIDDEN_CODE) if (rule.pattern.test(code)) found.push(`uses ${rule.name}`);
  return found;
}

const domainRoot = fileURLToPath(new URL(".", import.meta.url));
const thisFile = fileURLToPath(import.meta.url);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name) && path !== thisFile ? [path] : [];
  });
}

describe("the purity scanner", () => {
  it.each([
    ['import { db } from "@/db";', "imports @/db"],
    ['import { invoices } from "@/db/schema";', "imports @/db/schema"],
    ['import { x } from "../../db/queries/usage";', "imports ../../db/queries/usage"],
    ['import { headers } from "next/headers";', "imports next/headers"],
    ['import { NextResponse } from "next/server";', "imports next/server"],
    ['import { eq } from "drizzle-orm";', "imports drizzle-orm"],
    ['import Stripe from "stripe";', "imports stripe"],
    ['import { createServerClient } from "@supabase/ssr";', "imports @supabase/ssr"],
    ['export { sql } from "drizzle-orm/sql";', "imports drizzle-orm/sql"],
    ['import type {\n  Db,\n} from "@/db/client";', "imports @/db/client"],
    ['const s = await import("stripe");', "imports stripe"],
    ['const d = require("drizzle-orm");', "imports drizzle-orm"],
    ['import "next/dist/server";', "imports next/dist/server"],
    ["const key = process.env.STRIPE_SECRET_KEY;", "uses process.env"],
    ["const { A } = process . env;", "uses process.env"],
    ["const t = Date.now();", "uses Date.now()"],
    ["const today = new Date();", "uses new Date() without arguments"],
  ])("flags %j", (sample, offence) => {
    expect(findImpurities(sample).join("; ")).toContain(offence);
  });

  it.each([
    'import { z } from "zod";',
    'import Decimal from "decimal.js";',
    'import { toDecimal } from "../money";',
    'import { x } from "@/lib/domain/money";',
    'import { dbg } from "./debug";',
    "const d = new Date(0);",
    "const d = new Date(anchor.getTime());",
    "// never call Date.now() here",
    "/* process.env is read in lib/env.ts */",
    'const text = "nextjs and stripe-like words";',
  ])("accepts %j", (sample) => {
    expect(findImpurities(sample)).toEqual([]);
  });
});

describe("lib/domain is pure", () => {
  const files = sourceFiles(domainRoot);

  it("has files to scan", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(domainRoot, f), f]))("%s", (_name, file) => {
    expect(findImpurities(readFileSync(file, "utf8"))).toEqual([]);
  });
});
