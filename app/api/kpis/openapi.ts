/**
 * POST /api/kpis in the public OpenAPI document: passed to openApiDocument({ extraPaths, extraSchemas }) by
 * app/api/openapi.json/route.ts.
 */
type Json = Record<string, unknown>;

const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

export const kpiOpenApiSchemas: Json = {
  KpiMeasurement: {
    type: "object",
    required: ["kpi", "period", "value", "unit", "idempotency_key"],
    additionalProperties: false,
    properties: {
      kpi: { type: "string", description: "A KPI code of the tenant's catalog, e.g. availability, mtbf, mttr.", examples: ["availability"] },
      period: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$", description: "The measured month, YYYY-MM (not a future month).", examples: ["2026-10"] },
      value: {
        oneOf: [{ type: "string", pattern: "^-?\\d+(\\.\\d+)?$" }, { type: "number" }],
        description: "The month's actual value: a percentage within 0–100, hours and amounts ≥ 0.",
        examples: ["97.4"],
      },
      unit: { type: "string", description: "Must equal the unit of the KPI's baseline (else the catalog's), e.g. %, hours, CAD.", examples: ["%"] },
      idempotency_key: { type: "string", minLength: 1, maxLength: 255, description: "Applied once per tenant, forever." },
    },
  },
  KpiMeasurementAnswer: {
    type: "object",
    required: ["ok", "measurement_id", "kpi", "period", "value", "unit", "source", "duplicate"],
    properties: {
      ok: { const: true },
      measurement_id: { type: "string", format: "uuid" },
      kpi: { type: "string" },
      period: { type: "string" },
      value: { type: "string" },
      unit: { type: "string" },
      source: { type: "string", enum: ["api", "console", "seed"] },
      duplicate: { type: "boolean", description: "true when this idempotency key was already applied: the first answer." },
    },
  },
};

export const kpiOpenApiPaths: Json = {
  "/api/kpis": {
    post: {
      operationId: "postKpiMeasurement",
      summary: "Record a KPI measurement for gain-share",
      description:
        "One month's actual value of a KPI for the key's tenant. Idempotent like usage: a repeat of the idempotency_key " +
        "with the same body answers the first answer with duplicate: true; a different body under the same key is 409.",
      tags: ["kpis"],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/KpiMeasurement" },
            examples: { availability: { value: { kpi: "availability", period: "2026-10", value: "97.4", unit: "%", idempotency_key: "plant-7:availability:2026-10" } } },
          },
        },
      },
      responses: {
        "201": { description: "Recorded.", content: { "application/json": { schema: { $ref: "#/components/schemas/KpiMeasurementAnswer" } } } },
        "200": { description: "Already recorded under this key: the first answer with duplicate: true.", content: { "application/json": { schema: { $ref: "#/components/schemas/KpiMeasurementAnswer" } } } },
        "400": error("Invalid input; error.fields names the field (unknown KPI, value out of range, unit not the baseline's, future month)."),
        "401": error("Missing, unknown or revoked API key."),
        "409": error("The idempotency key was already used with a different measurement; nothing changed."),
        "415": error("Content-Type is not application/json."),
        "429": error("Rate limit of the API key exceeded."),
      },
    },
  },
};
