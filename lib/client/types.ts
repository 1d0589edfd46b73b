/** Wire types of the public API (see /api/openapi.json). Decimals travel as strings. */
export type Decimal = string;

export type UsageEvent = {
  event_type: string;
  quantity: Decimal | number;
  /** Default: generated once by the client and reused on every retry. */
  idempotency_key?: string;
  timestamp?: string;
  properties?: Record<string, string | number | boolean | null>;
};

export type UsageAlert = { code: string; metric: string; threshold_percent: number; used: Decimal; included: Decimal };

export type UsageAnswer = {
  ok: true;
  event_id: string;
  duplicate: boolean;
  credits_burned: Decimal;
  remaining_credits: Decimal | null;
  usage: { metric: string; used: Decimal; included: Decimal | "unlimited" | null; percent: string | null };
  alerts: UsageAlert[];
  limit: null | { kind: "soft" | "soft_limit" | "hard"; status: "within" | "over_included" };
};

export type ApiErrorBody = { code: string; message: string; fields?: Record<string, string> };

export type EventError = { ok: false; idempotency_key: string | null; error: ApiErrorBody };

export type BatchAnswer = {
  ok: boolean;
  partial: boolean;
  results: (UsageAnswer | EventError)[];
  totals: { received: number; accepted: number; duplicates: number; rejected: number; credits_burned: Decimal };
};

export type UsageSummary = {
  period: { id: string; label: string; start: string; end: string; status: "open" | "closed" };
  plan: { code: string; name: string; currency: string };
  metrics: {
    metric: string;
    kind: "metered" | "counted" | "dimensional" | "credit_pool";
    used: Decimal;
    recorded: Decimal;
    events: number;
    included: string | null;
    percent: string | null;
    limit: string;
  }[];
  credits: null | {
    pool: string;
    included: Decimal;
    used: Decimal;
    remaining: Decimal | null;
    percent: string | null;
    by_event_type: Record<string, Decimal>;
  };
};

export type SnapshotRequest = {
  metric: string;
  quantity?: Decimal | number;
  breakdown?: Record<string, Decimal | number>;
  taken_on?: string;
};

export type SnapshotAnswer = {
  ok: true;
  snapshot: { id: string; metric: string; taken_on: string; quantity: Decimal; breakdown: Record<string, Decimal> };
  included: string | null;
  limit: null | { kind: string; status: string };
};
