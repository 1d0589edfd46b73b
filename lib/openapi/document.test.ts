import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { GET } from "@/app/api/openapi.json/route";
import { usageEventSchema } from "@/lib/services/usage/request-schema";
import { snapshotSchema } from "@/lib/services/snapshots/record-snapshot";
import { openApiDocument } from "./document";
import { schemas } from "./schemas";

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document under a standard validator", async () => {
    const validator = new Validator();
    const result = await validator.validate(openApiDocument() as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("the validator does refuse a broken document (so the check above can fail)", async () => {
    const broken = { ...openApiDocument(), info: undefined, paths: { "/api/usage": { post: { responses: "nope" } } } };
    expect((await new Validator().validate(JSON.parse(JSON.stringify(broken)))).valid).toBe(false);
  });

  it("is served at /api/openapi.json", async () => {
    const res = GET();
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/usage", "/api/usage/summary", "/api/snapshots"]));
  });

  it("describes exactly the fields the server accepts", () => {
    expect(Object.keys(schemas.UsageEvent.properties).sort()).toEqual(Object.keys(usageEventSchema.shape).sort());
    expect(Object.keys(schemas.SnapshotRequest.properties).sort()).toEqual(Object.keys(snapshotSchema.shape).sort());
  });

  it("leaves room for more public paths (e.g. /api/kpis)", async () => {
    const doc = openApiDocument({ extraPaths: { "/api/kpis": { post: { responses: { "200": { description: "ok" } } } } } });
    expect((doc.paths as Record<string, unknown>)["/api/kpis"]).toBeDefined();
    expect((await new Validator().validate(doc as never)).valid).toBe(true);
  });
});
