/** parseCatalog: schema + defaults + cross-checks; every problem reported with the path of its field. */
import type { z } from "zod";
import { DomainError } from "../errors";
import { crossCheckCatalog, type CatalogIssue } from "./cross-checks";
import { normalizeCatalog } from "./normalize";
import { catalogSchema } from "./schema";
import type { Catalog } from "./types";

/** `plans[1].components[2].per` from ["plans", 1, "components", 2, "per"]. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || "(catalog)";
}

export class CatalogError extends DomainError {
  readonly issues: { path: string; message: string }[];

  constructor(issues: { path: string; message: string }[], catalogCode?: string) {
    super(
      "invalid_catalog",
      issues.map((i) => `${i.path}: ${i.message}`).join("; "),
      { catalog: catalogCode ?? null, issues },
    );
    this.issues = issues;
  }
}

function fromZod(issue: z.core.$ZodIssue): { path: string; message: string } {
  if (issue.code === "unrecognized_keys") {
    return {
      path: formatIssuePath([...issue.path, ...(issue.keys.length === 1 ? [issue.keys[0]] : [])]),
      message: `unrecognized key${issue.keys.length > 1 ? `s ${issue.keys.join(", ")}` : ""}`,
    };
  }
  let message = issue.message;
  if (issue.code === "invalid_type" && /received undefined/.test(message)) message = `required (${message})`;
  return { path: formatIssuePath(issue.path), message };
}

/** Validates and resolves a catalog. Throws CatalogError naming every bad field. */
export function parseCatalog(input: unknown): Catalog {
  const parsed = catalogSchema.safeParse(input);
  const code = typeof input === "object" && input !== null && "code" in input ? String((input as { code: unknown }).code) : undefined;
  if (!parsed.success) throw new CatalogError(parsed.error.issues.map(fromZod), code);
  const catalog = normalizeCatalog(parsed.data);
  const issues: CatalogIssue[] = crossCheckCatalog(catalog);
  if (issues.length > 0) {
    throw new CatalogError(issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })), code);
  }
  return catalog;
}

/** Like parseCatalog but returns the issues instead of throwing (for admin editors). */
export function validateCatalog(input: unknown): { ok: true; catalog: Catalog } | { ok: false; error: CatalogError } {
  try {
    return { ok: true, catalog: parseCatalog(input) };
  } catch (error) {
    if (error instanceof CatalogError) return { ok: false, error };
    throw error;
  }
}
