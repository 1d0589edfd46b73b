import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { GET } from "@/app/api/openapi.json/route";
import { kpiApiBodySchema } from "@/lib/services/gain-share/schemas";
import { kpiOpenApiSchemas } from "./openapi";

describe("POST /api/kpis in the OpenAPI document", () => {
  it("is served, and the document stays valid OpenAPI 3.1", async () => {
    const doc = await GET().json();
    expect(doc.paths["/api/kpis"].post.operationId).toBe("postKpiMeasurement");
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
  });

  it("describes exactly the fields the server accepts", () => {
    const described = Object.keys((kpiOpenApiSchemas.KpiMeasurement as { properties: object }).properties).sort();
    expect(described).toEqual(Object.keys(kpiApiBodySchema.shape).sort());
  });
});
