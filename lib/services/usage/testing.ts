/** Test helpers for the ingestion tests: a tenant with a key, and a POST helper bound to a database. */
import type { Db } from "@/db/client";
import { createTenantWithSubscription } from "@/db/seed/fixtures";
import { createUsageHandler } from "@/app/api/usage/handler";
import { createApiKey } from "@/lib/services/api-keys/api-keys";

let counter = 0;

export async function tenantWithKey(db: Db, params: { catalog: string; plan: string; now?: Date; anchorAt?: Date }) {
  const now = params.now ?? new Date();
  const fixture = await createTenantWithSubscription(db, {
    catalog: params.catalog,
    plan: params.plan,
    slug: `t-${process.pid}-${Date.now().toString(36)}-${++counter}`,
    anchorAt: params.anchorAt ?? new Date(now.getTime() - 3 * 86_400_000),
    now,
  });
  const key = await createApiKey(db, { tenantId: fixture.tenantId, name: "test" });
  return { ...fixture, key: key.key, keyId: key.id };
}

export function usagePoster(db: Db, options: { rateLimitPerMinute?: number; graceMinutes?: number; now?: () => Date } = {}) {
  const handler = createUsageHandler({
    getDb: async () => db,
    now: options.now,
    graceMinutes: () => options.graceMinutes ?? 60,
    rateLimitPerMinute: () => options.rateLimitPerMinute ?? 1_000_000,
  });
  return async function post(key: string | null, body: unknown, init: { contentType?: string; raw?: string } = {}) {
    const headers: Record<string, string> = { "content-type": init.contentType ?? "application/json" };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const res = await handler(
      new Request("http://test.local/api/usage", { method: "POST", headers, body: init.raw ?? JSON.stringify(body) }),
    );
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
}
