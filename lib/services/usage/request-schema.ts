import { z } from "zod";
import type { FieldErrors } from "@/lib/http/errors";
import { parseQuantity } from "@/lib/domain/usage/parse-quantity";

export const MAX_BATCH_EVENTS = 1000;
export const MAX_IDEMPOTENCY_KEY = 255;
export const MAX_PROPERTIES = 50;
export const MAX_PROPERTY_STRING = 1024;

const codeString = z
  .string({ error: "expected a string" })
  .min(1, { error: "must not be empty" })
  .max(100, { error: "must be at most 100 characters" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "expected an event type or metric code (letters, digits, '_', '-', '.')" });

const quantity = z.custom<string | number>().transform((value, ctx) => {
  if (value === undefined) {
    ctx.addIssue({ code: "custom", message: "is required" });
    return z.NEVER;
  }
  const parsed = parseQuantity(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.value;
});

const propertyValue = z.union(
  [
    z.string().max(MAX_PROPERTY_STRING, { error: `strings must be at most ${MAX_PROPERTY_STRING} characters` }),
    z.number().refine(Number.isFinite, { error: "numbers must be finite" }),
    z.boolean(),
    z.null(),
  ],
  { error: `expected a string (≤ ${MAX_PROPERTY_STRING} characters), number, boolean or null` },
);

const properties = z
  .record(z.string().min(1).max(64, { error: "property names must be at most 64 characters" }), propertyValue, {
    error: "expected an object",
  })
  .refine((p) => Object.keys(p).length <= MAX_PROPERTIES, { error: `at most ${MAX_PROPERTIES} properties` });

/** One usage event as posted. Unknown fields are refused. */
export const usageEventSchema = z.strictObject(
  {
    event_type: codeString,
    quantity,
    timestamp: z.iso
      .datetime({ offset: true, error: "expected an ISO 8601 date-time such as 2026-03-01T12:00:00Z" })
      .optional(),
    idempotency_key: z
      .string({ error: "expected a string" })
      .min(1, { error: "must not be empty" })
      .max(MAX_IDEMPOTENCY_KEY, { error: `must be at most ${MAX_IDEMPOTENCY_KEY} characters` }),
    properties: properties.optional(),
  },
  { error: "expected a JSON object" },
);

export type UsageEventInput = z.output<typeof usageEventSchema>;

const batchSchema = z.strictObject({
  events: z.array(z.unknown(), { error: "expected an array of events" }).min(1, { error: "must contain at least one event" }),
  partial: z.boolean({ error: "expected true or false" }).optional(),
});

export type ParsedEvent = { ok: true; event: UsageEventInput } | { ok: false; fields: FieldErrors; message: string };

export type ParsedUsageRequest =
  | { kind: "single"; event: ParsedEvent }
  | { kind: "batch"; partial: boolean; events: ParsedEvent[] };

export class UsageRequestError extends Error {
  constructor(
    public readonly status: 400 | 413,
    message: string,
    public readonly fields?: FieldErrors,
  ) {
    super(message);
  }
}

function describe(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
}

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || "body";
}

/** Zod issues → field errors; unknown keys are named as fields themselves. */
export function fieldsOf(error: z.ZodError, prefix = ""): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[pathOf(prefix, [...issue.path, key])] = "unknown field";
      continue;
    }
    const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
    fields[pathOf(prefix, issue.path)] ??= message;
  }
  return fields;
}

const EVENT_KEYS = new Set(["event_type", "quantity", "timestamp", "idempotency_key", "properties"]);
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const timestampSchema = usageEventSchema.shape.timestamp;

/**
 * The common case without zod's per-event overhead (batches of 1,000). It accepts only what the zod
 * schema accepts (the same rules, written out); anything else goes through zod, which names the problem.
 */
function fastEvent(raw: unknown): UsageEventInput | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!EVENT_KEYS.has(k)) return null;
  const { event_type, idempotency_key, timestamp, properties } = o;
  if (typeof event_type !== "string" || event_type.length < 1 || event_type.length > 100 || !CODE.test(event_type)) return null;
  if (typeof idempotency_key !== "string" || idempotency_key.length < 1 || idempotency_key.length > MAX_IDEMPOTENCY_KEY) return null;
  const q = parseQuantity(o.quantity);
  if (!q.ok) return null;
  if (timestamp !== undefined && !timestampSchema.safeParse(timestamp).success) return null;
  let props: UsageEventInput["properties"];
  if (properties !== undefined) {
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return null;
    const entries = Object.entries(properties as Record<string, unknown>);
    if (entries.length > MAX_PROPERTIES) return null;
    for (const [k, v] of entries) {
      if (k.length < 1 || k.length > 64) return null;
      if (typeof v === "string") {
        if (v.length > MAX_PROPERTY_STRING) return null;
      } else if (typeof v === "number") {
        if (!Number.isFinite(v)) return null;
      } else if (typeof v !== "boolean" && v !== null) return null;
    }
    props = properties as UsageEventInput["properties"];
  }
  return { event_type, quantity: q.value, timestamp: timestamp as string | undefined, idempotency_key, properties: props };
}

function parseEvent(raw: unknown, prefix: string): ParsedEvent {
  const fast = fastEvent(raw);
  if (fast) return { ok: true, event: fast };
  const r = usageEventSchema.safeParse(raw);
  if (r.success) return { ok: true, event: r.data };
  const fields = fieldsOf(r.error, prefix);
  return { ok: false, fields, message: `Invalid event: ${describe(fields)}` };
}

/**
 * Parses a POST /api/usage body (already JSON-decoded). Shape errors of the envelope throw; per-event
 * errors are returned so that `partial: true` batches can accept the rest.
 */
export function parseUsageRequest(body: unknown): ParsedUsageRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new UsageRequestError(400, "Expected a JSON object: one event or { \"events\": [...] }", { body: "expected a JSON object" });
  }
  if (!("events" in body)) return { kind: "single", event: parseEvent(body, "") };
  const events = (body as { events: unknown }).events;
  if (Array.isArray(events) && events.length > MAX_BATCH_EVENTS) {
    throw new UsageRequestError(413, `A batch holds at most ${MAX_BATCH_EVENTS} events; got ${events.length}`, {
      events: `at most ${MAX_BATCH_EVENTS} events`,
    });
  }
  const envelope = batchSchema.safeParse(body);
  if (!envelope.success) {
    const fields = fieldsOf(envelope.error);
    throw new UsageRequestError(400, `Invalid batch: ${describe(fields)}`, fields);
  }
  return {
    kind: "batch",
    partial: envelope.data.partial ?? false,
    events: envelope.data.events.map((e, i) => parseEvent(e, `events[${i}]`)),
  };
}
