import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { tenants } from "@/db/schema";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/services/api-keys/api-keys";
import { openCliDb } from "../db";
import { UsageError, type CliIo, type Command } from "./types";

export async function tenantIdBySlug(db: Db, slug: string): Promise<string | null> {
  const [t] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  return t?.id ?? null;
}

/** The command body with the database passed in (tests call this). */
export async function runApiKey(db: Db, args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { tenant: { type: "string" }, name: { type: "string" }, id: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.tenant) throw new UsageError("--tenant <slug> is required");
  const tenantId = await tenantIdBySlug(db, values.tenant);
  if (!tenantId) {
    io.err(`apikey: no tenant with slug "${values.tenant}"`);
    return 1;
  }
  switch (sub) {
    case "create": {
      const key = await createApiKey(db, { tenantId, name: values.name ?? `CLI key ${new Date().toISOString().slice(0, 10)}` });
      io.out(key.key);
      io.err(`Created API key "${key.name}" (${key.prefix}…) for ${values.tenant}. It is shown only this once.`);
      return 0;
    }
    case "list": {
      for (const k of await listApiKeys(db, tenantId)) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : `last used ${k.lastUsedAt?.toISOString() ?? "never"}`;
        io.out(`${k.id}  ${k.prefix}…  ${k.name}  (${state})`);
      }
      return 0;
    }
    case "revoke": {
      if (!values.id) throw new UsageError("--id <key id> is required");
      const r = await revokeApiKey(db, { tenantId, keyId: values.id });
      io.out(r.revoked ? `Revoked ${values.id}.` : `No active key ${values.id} for ${values.tenant}.`);
      return r.revoked ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown subcommand "${sub ?? ""}" (create, list, revoke)`);
  }
}

export const apiKeyCommand: Command = {
  name: "apikey",
  usage: ["apikey create --tenant <slug> [--name <name>]", "apikey list --tenant <slug>", "apikey revoke --tenant <slug> --id <key id>"],
  summary: "Creates (printing the key once), lists or revokes a tenant's API keys.",
  async run(args, io) {
    const handle = await openCliDb();
    try {
      return await runApiKey(handle.db, args, io);
    } finally {
      await handle.close();
    }
  },
};
