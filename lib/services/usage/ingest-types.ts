import type { FieldErrors } from "@/lib/http/errors";
import type { ApiKeyContext } from "@/lib/services/api-keys/authenticate-api-key";
import type { PricedPlan } from "@/lib/services/catalog/plan-versions";
import type { UsageAnswer } from "@/lib/domain/usage/build-answers";
import type { EventRejection, PlannedEvent } from "@/lib/domain/usage/plan-event";

export type EventError = { ok: false; idempotency_key: string | null; error: { code: string; message: string; fields?: FieldErrors } };
export type EventResult = UsageAnswer | EventError;

export type BatchAnswer = {
  ok: boolean;
  partial: boolean;
  results: EventResult[];
  totals: { received: number; accepted: number; duplicates: number; rejected: number; credits_burned: string };
};

export type IngestOutcome = { status: number; body: UsageAnswer | BatchAnswer };

export type Slot =
  | { kind: "error"; error: EventError; status: number }
  | { kind: "event"; event: PlannedEvent; id: string; periodId: string; hash: string }
  /** The same key earlier in this request with the same body: answered like that one. */
  | { kind: "repeat"; of: number };

export type EventSlot = Extract<Slot, { kind: "event" }>;

export type Ctx = { auth: ApiKeyContext; priced: PricedPlan; slots: Slot[]; partial: boolean; kind: "single" | "batch" };

export function eventError(key: string | null, e: { code: string; message: string; fields?: FieldErrors }): EventError {
  return { ok: false, idempotency_key: key, error: e };
}

export function rejectionToError(key: string, r: EventRejection): EventError {
  return eventError(key, { code: r.code, message: `${r.field}: ${r.message}`, fields: { [r.field]: r.message } });
}

