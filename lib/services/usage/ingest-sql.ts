/**
 * The statements of the ingestion path. Inputs travel as one JSON text parameter per list, so a batch of
 * 1,000 events is still a handful of parameters and the statements stay prepared per connection.
 */

/**
 * Inserts the events (duplicates skipped by the unique idempotency index) and, for the events actually
 * inserted, adds their deltas to the counters and daily rollups — one atomic statement.
 * Capped counters (hard / soft_limit) only move when the new total stays within the cap; a capped counter
 * missing from the `c` rows while present in the `d` rows means the request must be rolled back.
 * Lock order is fixed (events by key, then counters by period and code, then rollups) to avoid deadlocks.
 */
export const INSERT_EVENTS_SQL = `WITH input AS (
    SELECT * FROM json_to_recordset($4::text::json) AS x(id uuid, period_id uuid, idempotency_key text, event_type text,
      metric_code text, quantity numeric, billable_quantity numeric, credits numeric, occurred_at timestamptz,
      properties jsonb, body_hash text)
  ), ins AS (
    INSERT INTO usage_events (tenant_id, id, subscription_id, period_id, event_type, metric_code, quantity,
      billable_quantity, credits, occurred_at, properties, idempotency_key, body_hash, api_key_id)
    SELECT $1::uuid, id, $2::uuid, period_id, event_type, metric_code, quantity, billable_quantity, credits,
      occurred_at, properties, idempotency_key, body_hash, $3::uuid
    FROM input ORDER BY idempotency_key
    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
    RETURNING id
  ), delta AS (
    SELECT t.period_id, t.code, sum(t.quantity) AS quantity, sum(t.billable) AS billable, count(*) AS n
    FROM json_to_recordset($5::text::json) AS t(event_id uuid, period_id uuid, code text, quantity numeric, billable numeric)
    JOIN ins ON ins.id = t.event_id
    GROUP BY t.period_id, t.code
  ), caps AS (
    SELECT * FROM json_to_recordset($7::text::json) AS c(code text, cap numeric)
  ), cnt AS (
    INSERT INTO usage_counters AS uc (tenant_id, period_id, metric_code, subscription_id, quantity, billable_quantity, event_count)
    SELECT $1::uuid, d.period_id, d.code, $2::uuid, d.quantity, d.billable, d.n
    FROM delta d LEFT JOIN caps c ON c.code = d.code
    WHERE c.cap IS NULL OR d.billable <= c.cap
    ORDER BY d.period_id, d.code
    ON CONFLICT (tenant_id, period_id, metric_code) DO UPDATE SET
      quantity = uc.quantity + excluded.quantity,
      billable_quantity = uc.billable_quantity + excluded.billable_quantity,
      event_count = uc.event_count + excluded.event_count,
      updated_at = now()
    WHERE NOT EXISTS (
      SELECT 1 FROM caps c WHERE c.code = excluded.metric_code AND uc.billable_quantity + excluded.billable_quantity > c.cap
    )
    RETURNING period_id, metric_code, billable_quantity
  ), roll AS (
    INSERT INTO usage_daily_rollups AS r (tenant_id, day, metric_code, event_type, segment, subscription_id, quantity,
      billable_quantity, credits, event_count)
    SELECT $1::uuid, x.day, x.metric_code, x.event_type, x.segment, $2::uuid, sum(x.quantity), sum(x.billable),
      sum(x.credits), count(*)
    FROM json_to_recordset($6::text::json) AS x(event_id uuid, day date, metric_code text, event_type text, segment text,
      quantity numeric, billable numeric, credits numeric)
    JOIN ins ON ins.id = x.event_id
    GROUP BY x.day, x.metric_code, x.event_type, x.segment
    ORDER BY x.day, x.metric_code, x.event_type, x.segment
    ON CONFLICT (tenant_id, day, metric_code, event_type, segment) DO UPDATE SET
      quantity = r.quantity + excluded.quantity,
      billable_quantity = r.billable_quantity + excluded.billable_quantity,
      credits = r.credits + excluded.credits,
      event_count = r.event_count + excluded.event_count
  )
  SELECT 'e' AS k, id::text AS p, NULL::text AS code, NULL::text AS v FROM ins
  UNION ALL SELECT 'd', period_id::text, code, billable::text FROM delta
  UNION ALL SELECT 'c', period_id::text, metric_code, billable_quantity::text FROM cnt
  UNION ALL SELECT 'w', period_id::text, metric_code, billable_quantity::text FROM usage_counters
    WHERE tenant_id = $1::uuid AND period_id = $8::uuid AND metric_code = ANY(SELECT json_array_elements_text($9::text::json))`;

export type InsertRow = { k: "e" | "d" | "c" | "w"; p: string; code: string | null; v: string | null };

/** Existing events for keys the insert skipped: their first answer or a 409. */
export const EXISTING_EVENTS_SQL = `SELECT id::text AS id, idempotency_key, body_hash, response
  FROM usage_events
  WHERE tenant_id = $1::uuid AND idempotency_key IN (SELECT json_array_elements_text($2::text::json))`;

export type ExistingRow = { id: string; idempotency_key: string; body_hash: string; response: unknown };

/**
 * Stores each new event's first answer (replayed on repeats) and records alerts: the unique index on
 * alerts makes a threshold fire once per period and metric; each alert that was new queues one
 * notification (deduplicated by key) for the tenant's billing e-mail, or its owner's.
 */
export const FINISH_SQL = `WITH answers AS (
    SELECT * FROM json_to_recordset($2::text::json) AS x(id uuid, response jsonb)
  ), upd AS (
    UPDATE usage_events e SET response = a.response FROM answers a WHERE e.tenant_id = $1::uuid AND e.id = a.id
  ), wanted AS (
    SELECT * FROM json_to_recordset($4::text::json) AS x(period_id uuid, code text, percent int, name text, used numeric,
      included numeric, subject text, body text)
  ), fired AS (
    INSERT INTO alerts (tenant_id, subscription_id, period_id, metric_code, threshold_percent, name, used_at_fire, included)
    SELECT $1::uuid, $3::uuid, period_id, code, percent, name, used, included FROM wanted
    ORDER BY period_id, code, percent
    ON CONFLICT (tenant_id, period_id, metric_code, threshold_percent) DO NOTHING
    RETURNING period_id, metric_code, threshold_percent
  )
  INSERT INTO notifications (tenant_id, kind, to_email, subject, body_text, dedupe_key)
  SELECT $1::uuid, 'usage_alert',
    coalesce((SELECT billing_email FROM tenants WHERE id = $1::uuid),
      (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1::uuid AND m.role = 'owner'
       ORDER BY m.created_at LIMIT 1), 'billing@invalid'),
    w.subject, w.body, 'alert:' || f.period_id || ':' || f.metric_code || ':' || f.threshold_percent
  FROM fired f JOIN wanted w ON w.period_id = f.period_id AND w.code = f.metric_code AND w.percent = f.threshold_percent
  ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`;

/** Ensures and locks capped counters (partial batches decide event by event). */
export const LOCK_COUNTERS_SQL = `INSERT INTO usage_counters AS uc (tenant_id, period_id, metric_code, subscription_id)
  SELECT $1::uuid, x.period_id, x.code, $2::uuid
  FROM json_to_recordset($3::text::json) AS x(period_id uuid, code text)
  ORDER BY x.period_id, x.code
  ON CONFLICT (tenant_id, period_id, metric_code) DO UPDATE SET updated_at = uc.updated_at
  RETURNING period_id::text AS p, metric_code AS code, billable_quantity::text AS v`;

export const DELETE_EVENTS_SQL = `DELETE FROM usage_events WHERE tenant_id = $1::uuid AND id IN (SELECT json_array_elements_text($2::text::json)::uuid)`;

/** Current billable total of one counter (for the message of a limit rejection). */
export const COUNTER_SQL = `SELECT billable_quantity::text AS v FROM usage_counters
  WHERE tenant_id = $1::uuid AND period_id = $2::uuid AND metric_code = $3`;
