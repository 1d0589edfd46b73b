import { kpiOpenApiPaths, kpiOpenApiSchemas } from "@/app/api/kpis/openapi";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(openApiDocument({ extraPaths: kpiOpenApiPaths, extraSchemas: kpiOpenApiSchemas }), { headers: { "cache-control": "public, max-age=300" } });
}
