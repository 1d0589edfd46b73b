import type { Db } from "@/db/client";
import { rateLimitCtes, windowOf } from "@/lib/http/rate-limit";
import { asyncStatementOnce } from "@/lib/services/usage/sql-runner";
import { hashApiKey } from "./api-keys";

/** Who is calling with an API key: the tenant (decided by the key alone) and its live subscription. */
export type ApiKeyContext = {
  keyId: string;
  tenantId: string;
  tenantSlug: string;
  /** Requests counted in this key's current one-minute window, this one included. */
  requestsThisWindow: number;
  subscription: null | {
    id: string;
    planVersionId: string;
    dunningState: "ok" | "grace" | "past_due" | "suspended";
    anchorAt: Date;
    currentPeriodIndex: number;
    period: { id: string; start: Date; end: Date; status: "open" | "closed" };
  };
};

// One statement, one round trip: key look-up (no cache, so revocation is immediate), the rate-limit
// increment, last_used_at at most once a minute, and the active subscription with its open period.
const AUTH_SQL = `WITH k AS (
    SELECT tenant_id, id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL
  ), ${rateLimitCtes("'key:' || k.id::text", "k", "$2")},
  lu AS (
    UPDATE api_keys a SET last_used_at = $3::timestamptz FROM k
    WHERE a.tenant_id = k.tenant_id AND a.id = k.id
      AND (k.last_used_at IS NULL OR k.last_used_at < $3::timestamptz - interval '60 seconds')
  )
  SELECT k.id::text AS key_id, k.tenant_id::text AS tenant_id, t.slug, (SELECT count FROM rl) AS rl_count,
    s.id::text AS subscription_id, s.plan_version_id::text AS plan_version_id, s.dunning_state,
    (extract(epoch FROM s.anchor_at) * 1000)::float8 AS anchor_ms, s.current_period_index,
    p.id::text AS period_id, (extract(epoch FROM p.starts_at) * 1000)::float8 AS start_ms,
    (extract(epoch FROM p.ends_at) * 1000)::float8 AS end_ms, p.status AS period_status
  FROM k JOIN tenants t ON t.id = k.tenant_id
  LEFT JOIN subscriptions s ON s.tenant_id = k.tenant_id AND s.status = 'active'
  LEFT JOIN subscription_periods p ON p.tenant_id = s.tenant_id AND p.subscription_id = s.id AND p.index = s.current_period_index`;

type Row = {
  key_id: string;
  tenant_id: string;
  slug: string;
  rl_count: number | string;
  subscription_id: string | null;
  plan_version_id: string | null;
  dunning_state: "ok" | "grace" | "past_due" | "suspended";
  anchor_ms: number | null;
  current_period_index: number | null;
  period_id: string | null;
  start_ms: number | null;
  end_ms: number | null;
  period_status: "open" | "closed" | null;
};

export const API_KEY_PATTERN = /^ml_live_[A-Za-z0-9]{20,100}$/;

/** Null for an unknown, malformed or revoked key. */
export async function authenticateApiKey(db: Db, key: string, now: Date): Promise<ApiKeyContext | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  // Asynchronous commit: the rate-limit row is hot for a busy key, and losing a count in a crash is harmless.
  const rows = await asyncStatementOnce<Row>(db, AUTH_SQL, [hashApiKey(key), windowOf(now).start.toISOString(), now.toISOString()]);
  const r = rows[0];
  if (!r) return null;
  return {
    keyId: r.key_id,
    tenantId: r.tenant_id,
    tenantSlug: r.slug,
    requestsThisWindow: Number(r.rl_count),
    subscription:
      r.subscription_id && r.period_id
        ? {
            id: r.subscription_id,
            planVersionId: r.plan_version_id!,
            dunningState: r.dunning_state,
            anchorAt: new Date(Number(r.anchor_ms)),
            currentPeriodIndex: Number(r.current_period_index),
            period: { id: r.period_id, start: new Date(Number(r.start_ms)), end: new Date(Number(r.end_ms)), status: r.period_status! },
          }
        : null,
  };
}
