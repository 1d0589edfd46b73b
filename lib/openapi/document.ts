/**
 * The OpenAPI 3.1 document of Meterline's public (API-key) API, served at /api/openapi.json.
 * Other public endpoints (e.g. POST /api/kpis) add their path items to `extraPaths` and schemas to
 * `extraSchemas` when they exist.
 */
import { schemas } from "./schemas";

type Json = Record<string, unknown>;

const error = (description: string, extra: Json = {}) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  ...extra,
});

const retryAfter = {
  headers: { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } } },
};

const common = {
  "401": error("Missing, unknown or revoked API key."),
  "429": error("Rate limit of the API key exceeded (or, for usage, a soft limit).", retryAfter),
};

export const corePaths: Json = {
  "/api/usage": {
    post: {
      operationId: "postUsage",
      summary: "Record usage: one event or a batch of up to 1,000",
      description:
        "Idempotent per tenant and idempotency_key, forever. Credits are burned by the plan's credit rules; counters, " +
        "limits and alerts are updated atomically with the insert. A batch is all-or-nothing unless partial is true.",
      tags: ["usage"],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { oneOf: [{ $ref: "#/components/schemas/UsageEvent" }, { $ref: "#/components/schemas/UsageBatch" }] },
            examples: {
              single: { value: { event_type: "LLM_token_usage", quantity: "1500", idempotency_key: "job-42:step-1", properties: { model: "large" } } },
              batch: {
                value: {
                  events: [
                    { event_type: "optimizer_job", quantity: 1, idempotency_key: "opt-7" },
                    { event_type: "vision_frame_batch", quantity: "3", idempotency_key: "cam-2:1042" },
                  ],
                },
              },
            },
          },
        },
      },
      responses: {
        "200": {
          description: "Accepted (or, with duplicate: true, already accepted earlier: the first answer).",
          content: {
            "application/json": { schema: { oneOf: [{ $ref: "#/components/schemas/UsageAnswer" }, { $ref: "#/components/schemas/BatchAnswer" }] } },
          },
        },
        "400": error("Invalid input; error.fields names every problem (e.g. events[3].quantity)."),
        ...common,
        "402": error("The subscription is suspended for non-payment, or there is none."),
        "409": error("The idempotency key was already used with a different event; nothing changed."),
        "413": error("More than 1,000 events, or the body is too large."),
        "415": error("Content-Type is not application/json."),
        "422": error("A hard limit would be passed, or the timestamp is refused (too far ahead, or before the open period beyond the grace)."),
      },
    },
  },
  "/api/usage/summary": {
    get: {
      operationId: "getUsageSummary",
      summary: "Totals per metric and credits for a billing period",
      tags: ["usage"],
      parameters: [
        {
          name: "period",
          in: "query",
          required: false,
          description: '"current" (default) or the month a period starts in, YYYY-MM.',
          schema: { type: "string", pattern: "^(current|\\d{4}-(0[1-9]|1[0-2]))$", default: "current" },
        },
      ],
      responses: {
        "200": { description: "The summary.", content: { "application/json": { schema: { $ref: "#/components/schemas/UsageSummary" } } } },
        "400": error("Invalid period."),
        ...common,
        "402": error("No active subscription."),
        "404": error("No period starts in that month."),
      },
    },
  },
  "/api/snapshots": {
    post: {
      operationId: "postSnapshot",
      summary: "Record a counted-metric snapshot (assets, seats, licences, clusters, storage)",
      tags: ["snapshots"],
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/SnapshotRequest" } } } },
      responses: {
        "200": { description: "Recorded (replacing any snapshot of the same metric and day).", content: { "application/json": { schema: { $ref: "#/components/schemas/SnapshotAnswer" } } } },
        "400": error("Invalid input."),
        ...common,
        "402": error("Suspended, or no active subscription."),
        "413": error("The body is too large."),
        "415": error("Content-Type is not application/json."),
        "422": error("A count limit (e.g. max sites) or hard limit would be passed, or the day is refused."),
      },
    },
  },
  "/api/health": {
    get: {
      operationId: "getHealth",
      summary: "Liveness",
      tags: ["meta"],
      security: [],
      responses: {
        "200": {
          description: "The app is up.",
          content: { "application/json": { schema: { type: "object", required: ["ok"], properties: { ok: { const: true } } } } },
        },
      },
    },
  },
};

export function openApiDocument(options: { serverUrl?: string; extraPaths?: Json; extraSchemas?: Json } = {}): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "Meterline public API",
      version: "1.0.0",
      description:
        "Usage ingestion and metering for Meterline. Authenticate with `Authorization: Bearer <API key>`; the key " +
        "decides the tenant. Quantities and amounts are exact decimals, sent and returned as strings. Errors are " +
        "`{ error: { code, message, fields? } }`.",
    },
    servers: [{ url: options.serverUrl ?? "/" }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "usage", description: "Metered usage events" },
      { name: "snapshots", description: "Counted metrics" },
      { name: "meta", description: "Service" },
    ],
    paths: { ...corePaths, ...(options.extraPaths ?? {}) },
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key created at /settings/api-keys (ml_live_…)." },
      },
      schemas: { ...schemas, ...(options.extraSchemas ?? {}) },
    },
  };
}
