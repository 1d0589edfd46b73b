/** Liveness: a cheap real route (also the framework floor of the ingestion benchmark). */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ ok: true });
}
