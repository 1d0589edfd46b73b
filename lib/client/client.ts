/**
 * A tiny typed client for Meterline's public API. Retries network errors, 429 and 5xx with exponential
 * backoff and full jitter, honouring Retry-After; every retry of a usage post carries the same
 * idempotency key, so a retry after a lost answer is applied once and answered with duplicate: true.
 * No dependencies beyond `fetch`.
 */
import type { ApiErrorBody, BatchAnswer, SnapshotAnswer, SnapshotRequest, UsageAnswer, UsageEvent, UsageSummary } from "./types";

export * from "./types";

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** Backoff base and cap in ms (defaults 200 and 10,000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown (default 60 s). */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  newKey?: () => string;
}

export class MeterlineApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "MeterlineApiError";
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Full-jitter exponential backoff: random in [0, min(cap, base × 2^attempt)). */
export function backoffMs(attempt: number, opts: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  return Math.floor(opts.random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt));
}

export function createMeterlineClient(options: ClientOptions) {
  const f = options.fetch ?? fetch;
  const maxRetries = options.maxRetries ?? 5;
  const backoff = { baseDelayMs: options.baseDelayMs ?? 200, maxDelayMs: options.maxDelayMs ?? 10_000, random: options.random ?? Math.random };
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const newKey = options.newKey ?? (() => globalThis.crypto.randomUUID());
  const base = options.baseUrl.replace(/\/+$/, "");

  async function request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    // Serialized once: every retry sends the very same bytes (and idempotency keys).
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await f(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${options.apiKey}`, ...(payload ? { "content-type": "application/json" } : {}) },
          body: payload,
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (err) {
        if (attempt >= maxRetries) throw err;
        await sleep(backoffMs(attempt, backoff));
        continue;
      }
      if (res.ok) return (await res.json()) as T;
      const text = await res.text();
      let error: ApiErrorBody = { code: `http_${res.status}`, message: text.slice(0, 500) || res.statusText };
      try {
        error = (JSON.parse(text) as { error: ApiErrorBody }).error ?? error;
      } catch {
        /* not JSON */
      }
      const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
      const fail = () =>
        new MeterlineApiError(res.status, error.code, error.message, error.fields, retryAfter === null ? undefined : Math.ceil(retryAfter / 1000));
      if (!RETRYABLE.has(res.status) || attempt >= maxRetries) throw fail();
      if (retryAfter !== null && retryAfter > maxRetryAfterMs) throw fail();
      await sleep(Math.max(retryAfter ?? 0, backoffMs(attempt, backoff)));
    }
  }

  const withKey = (e: UsageEvent) => ({ ...e, idempotency_key: e.idempotency_key ?? newKey() });

  return {
    /** Records one event (an idempotency key is generated if absent, and kept across retries). */
    recordUsage(event: UsageEvent): Promise<UsageAnswer> {
      return request<UsageAnswer>("POST", "/api/usage", withKey(event));
    },
    /** Records up to 1,000 events; all-or-nothing unless `partial`. */
    recordUsageBatch(events: UsageEvent[], opts: { partial?: boolean } = {}): Promise<BatchAnswer> {
      return request<BatchAnswer>("POST", "/api/usage", { events: events.map(withKey), ...(opts.partial ? { partial: true } : {}) });
    },
    usageSummary(period: "current" | `${number}-${number}` = "current"): Promise<UsageSummary> {
      return request<UsageSummary>("GET", `/api/usage/summary?period=${encodeURIComponent(period)}`);
    },
    recordSnapshot(snapshot: SnapshotRequest): Promise<SnapshotAnswer> {
      return request<SnapshotAnswer>("POST", "/api/snapshots", snapshot);
    },
  };
}

export type MeterlineClient = ReturnType<typeof createMeterlineClient>;
