import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, auditLog } from "@/db/schema";

export const API_KEY_PREFIX = "ml_live_";
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** SHA-256 of the whole key: what is stored and looked up (the key itself never is). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new random key: "ml_live_" + 40 base62-ish characters (≈ 238 bits). */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const body = randomBytes(30).toString("base64url").replace(/[-_]/g, "x");
  const key = `${API_KEY_PREFIX}${body}`;
  return { key, prefix: key.slice(0, VISIBLE_PREFIX_LENGTH), hash: hashApiKey(key) };
}

/** Creates a key and returns it in full — the only time it is ever shown. */
export async function createApiKey(
  db: DbOrTx,
  params: { tenantId: string; name: string; createdBy?: string | null; actorKind?: "user" | "system" },
): Promise<ApiKeySummary & { key: string }> {
  const name = params.name.trim();
  if (!name || name.length > 100) throw new Error("API key name must be 1–100 characters");
  const generated = generateApiKey();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ tenantId: params.tenantId, name, prefix: generated.prefix, keyHash: generated.hash, createdBy: params.createdBy ?? null })
      .returning();
    await tx.insert(auditLog).values({
      tenantId: params.tenantId,
      actorUserId: params.createdBy ?? null,
      actorKind: params.actorKind ?? (params.createdBy ? "user" : "system"),
      action: "api_key.created",
      entity: "api_key",
      entityId: row.id,
      data: { name, prefix: row.prefix },
    });
    return { ...toSummary(row), key: generated.key };
  });
}

function toSummary(row: typeof apiKeys.$inferSelect): ApiKeySummary {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

/** The tenant's keys, newest first (never the hash). */
export async function listApiKeys(db: DbOrTx, tenantId: string): Promise<ApiKeySummary[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
  return rows.map(toSummary);
}

/** Revokes a key of this tenant; effective at once (every request looks the key up). Idempotent. */
export async function revokeApiKey(
  db: DbOrTx,
  params: { tenantId: string; keyId: string; actorUserId?: string | null },
): Promise<{ revoked: boolean }> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, params.tenantId), eq(apiKeys.id, params.keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, prefix: apiKeys.prefix });
    if (rows.length === 0) return { revoked: false };
    await tx.insert(auditLog).values({
      tenantId: params.tenantId,
      actorUserId: params.actorUserId ?? null,
      actorKind: params.actorUserId ? "user" : "system",
      action: "api_key.revoked",
      entity: "api_key",
      entityId: params.keyId,
      data: { prefix: rows[0].prefix },
    });
    return { revoked: true };
  });
}
