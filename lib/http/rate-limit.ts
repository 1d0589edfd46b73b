/**
 * Fixed one-minute windows counted in the database (rate_limit_windows), so a limit holds across every
 * app instance. The increment is one atomic upsert; it is folded into the API-key look-up statement on
 * the ingestion path so that rate limiting costs no extra round trip.
 */
import { tooManyRequests } from "./errors";

export const WINDOW_MS = 60_000;

export function windowOf(now: Date): { start: Date; retryAfterSeconds: number } {
  const start = Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS;
  return { start: new Date(start), retryAfterSeconds: Math.max(1, Math.ceil((start + WINDOW_MS - now.getTime()) / 1000)) };
}

/**
 * CTE fragments: `rl` increments the window of `bucketSql` (a SQL expression) at parameter `$windowParam`;
 * `rl_gc` drops the bucket's older windows on the first hit of a new window (keeps the table small).
 */
export function rateLimitCtes(bucketSql: string, fromSql: string, windowParam: string): string {
  return `rl AS (
    INSERT INTO rate_limit_windows AS w (bucket, window_start, count)
    SELECT ${bucketSql}, ${windowParam}::timestamptz, 1 FROM ${fromSql}
    ON CONFLICT (bucket, window_start) DO UPDATE SET count = w.count + 1
    RETURNING bucket, count
  ), rl_gc AS (
    DELETE FROM rate_limit_windows o USING rl
    WHERE rl.count = 1 AND o.bucket = rl.bucket AND o.window_start < ${windowParam}::timestamptz
  )`;
}

export function assertWithinRateLimit(count: number, limitPerMinute: number, now: Date): void {
  if (count > limitPerMinute) {
    throw tooManyRequests(
      `Rate limit exceeded: at most ${limitPerMinute} requests per minute for this API key`,
      windowOf(now).retryAfterSeconds,
    );
  }
}
