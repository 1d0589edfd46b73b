/** JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of the public API's bodies. */
const decimal = {
  oneOf: [
    { type: "string", pattern: "^[+-]?\\d+(\\.\\d+)?$", maxLength: 64 },
    { type: "number" },
  ],
  description: "An exact decimal: a string such as \"12.5\" (preferred) or a finite JSON number. At most 26 integer and 12 decimal digits.",
  examples: ["1500", "0.25"],
};
const decimalString = { type: "string", pattern: "^-?\\d+(\\.\\d+)?$", examples: ["248500"] };

export const schemas = {
  Decimal: decimal,
  DecimalString: decimalString,
  Error: {
    type: "object",
    required: ["error"],
    additionalProperties: false,
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        additionalProperties: false,
        properties: {
          code: { type: "string", examples: ["invalid_request", "hard_limit_exceeded"] },
          message: { type: "string" },
          fields: { type: "object", additionalProperties: { type: "string" }, description: "Field path → problem, e.g. events[3].quantity" },
        },
      },
    },
  },
  UsageEvent: {
    type: "object",
    required: ["event_type", "quantity", "idempotency_key"],
    additionalProperties: false,
    properties: {
      event_type: {
        type: "string",
        maxLength: 100,
        pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description: "An event type of the plan's catalog (e.g. LLM_token_usage) or a metric code.",
      },
      quantity: { $ref: "#/components/schemas/Decimal" },
      timestamp: {
        type: "string",
        format: "date-time",
        description: "When it happened (default: now). At most 5 minutes ahead; before the open period only within the late grace.",
      },
      idempotency_key: { type: "string", minLength: 1, maxLength: 255, description: "Unique per tenant, forever: a repeat returns the first answer." },
      properties: {
        type: "object",
        maxProperties: 50,
        additionalProperties: { oneOf: [{ type: "string", maxLength: 1024 }, { type: "number" }, { type: "boolean" }, { type: "null" }] },
      },
    },
  },
  UsageBatch: {
    type: "object",
    required: ["events"],
    additionalProperties: false,
    properties: {
      events: { type: "array", minItems: 1, maxItems: 1000, items: { $ref: "#/components/schemas/UsageEvent" } },
      partial: { type: "boolean", default: false, description: "Accept the valid events and report the others in place (default: all-or-nothing)." },
    },
  },
  Alert: {
    type: "object",
    required: ["code", "metric", "threshold_percent", "used", "included"],
    properties: {
      code: { type: "string", examples: ["LOW_CREDITS"] },
      metric: { type: "string" },
      threshold_percent: { type: "integer" },
      used: { $ref: "#/components/schemas/DecimalString" },
      included: { $ref: "#/components/schemas/DecimalString" },
    },
  },
  UsageAnswer: {
    type: "object",
    required: ["ok", "event_id", "duplicate", "credits_burned", "remaining_credits", "usage", "alerts", "limit"],
    properties: {
      ok: { const: true },
      event_id: { type: "string", format: "uuid" },
      duplicate: { type: "boolean", description: "true when this idempotency key was already applied: the first answer is replayed." },
      credits_burned: { $ref: "#/components/schemas/DecimalString" },
      remaining_credits: { oneOf: [{ $ref: "#/components/schemas/DecimalString" }, { type: "null" }] },
      usage: {
        type: "object",
        required: ["metric", "used", "included", "percent"],
        properties: {
          metric: { type: "string", description: "The metric or credit pool the event counts toward." },
          used: { $ref: "#/components/schemas/DecimalString" },
          included: { oneOf: [{ $ref: "#/components/schemas/DecimalString" }, { const: "unlimited" }, { type: "null" }] },
          percent: { oneOf: [{ type: "string" }, { type: "null" }] },
        },
      },
      alerts: { type: "array", items: { $ref: "#/components/schemas/Alert" }, description: "Thresholds this event crossed (each fires once per period)." },
      limit: {
        oneOf: [
          { type: "null" },
          {
            type: "object",
            required: ["kind", "status"],
            properties: {
              kind: { enum: ["soft", "soft_limit", "hard"] },
              status: { enum: ["within", "over_included"] },
            },
          },
        ],
      },
    },
  },
  EventError: {
    type: "object",
    required: ["ok", "idempotency_key", "error"],
    properties: {
      ok: { const: false },
      idempotency_key: { type: ["string", "null"] },
      error: { $ref: "#/components/schemas/Error/properties/error" },
    },
  },
  BatchAnswer: {
    type: "object",
    required: ["ok", "partial", "results", "totals"],
    properties: {
      ok: { type: "boolean" },
      partial: { type: "boolean" },
      results: {
        type: "array",
        items: { oneOf: [{ $ref: "#/components/schemas/UsageAnswer" }, { $ref: "#/components/schemas/EventError" }] },
        description: "One result per event, in order.",
      },
      totals: {
        type: "object",
        required: ["received", "accepted", "duplicates", "rejected", "credits_burned"],
        properties: {
          received: { type: "integer" },
          accepted: { type: "integer" },
          duplicates: { type: "integer" },
          rejected: { type: "integer" },
          credits_burned: { $ref: "#/components/schemas/DecimalString" },
        },
      },
    },
  },
  UsageSummary: {
    type: "object",
    required: ["period", "plan", "metrics", "credits"],
    properties: {
      period: {
        type: "object",
        required: ["id", "label", "start", "end", "status"],
        properties: {
          id: { type: "string", format: "uuid" },
          label: { type: "string", examples: ["2026-03"] },
          start: { type: "string", format: "date-time" },
          end: { type: "string", format: "date-time" },
          status: { enum: ["open", "closed"] },
        },
      },
      plan: { type: "object", required: ["code", "name", "currency"], properties: { code: { type: "string" }, name: { type: "string" }, currency: { type: "string" } } },
      metrics: {
        type: "array",
        items: {
          type: "object",
          required: ["metric", "kind", "used", "recorded", "events", "included", "percent", "limit"],
          properties: {
            metric: { type: "string" },
            kind: { enum: ["metered", "counted", "dimensional", "credit_pool"] },
            used: { $ref: "#/components/schemas/DecimalString" },
            recorded: { $ref: "#/components/schemas/DecimalString" },
            events: { type: "integer" },
            included: { oneOf: [{ type: "string" }, { type: "null" }] },
            percent: { oneOf: [{ type: "string" }, { type: "null" }] },
            limit: { enum: ["none", "soft", "soft_limit", "hard"] },
          },
        },
      },
      credits: {
        oneOf: [
          { type: "null" },
          {
            type: "object",
            required: ["pool", "included", "used", "remaining", "percent", "by_event_type"],
            properties: {
              pool: { type: "string" },
              included: { type: "string" },
              used: { type: "string" },
              remaining: { oneOf: [{ type: "string" }, { type: "null" }] },
              percent: { oneOf: [{ type: "string" }, { type: "null" }] },
              by_event_type: { type: "object", additionalProperties: { type: "string" } },
            },
          },
        ],
      },
    },
  },
  SnapshotRequest: {
    type: "object",
    required: ["metric"],
    additionalProperties: false,
    properties: {
      metric: { type: "string", description: "A counted metric of the plan (assets, user_seats, licences, clusters…)." },
      quantity: { $ref: "#/components/schemas/Decimal" },
      breakdown: {
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/Decimal" },
        description: "Per-site counts ({\"north\": 120}) or per-dimension cells ({\"medium:production\": 2}). Its total must equal quantity when both are sent.",
      },
      taken_on: { type: "string", format: "date", description: "The day it stands for (default: today, UTC). One snapshot per metric and day: a repeat replaces it." },
    },
  },
  SnapshotAnswer: {
    type: "object",
    required: ["ok", "snapshot", "included", "limit"],
    properties: {
      ok: { const: true },
      snapshot: {
        type: "object",
        required: ["id", "metric", "taken_on", "quantity", "breakdown"],
        properties: {
          id: { type: "string", format: "uuid" },
          metric: { type: "string" },
          taken_on: { type: "string", format: "date" },
          quantity: { type: "string" },
          breakdown: { type: "object", additionalProperties: { type: "string" } },
        },
      },
      included: { oneOf: [{ type: "string" }, { type: "null" }] },
      limit: { oneOf: [{ type: "null" }, { type: "object", properties: { kind: { type: "string" }, status: { type: "string" } } }] },
    },
  },
} as const;
