/** JSON with object keys sorted at every level: equal values give equal strings (for body hashes). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * canonicalJson({ event_type, properties, quantity, timestamp }) for flat properties, without the generic
 * walk (it runs for every event of every batch). Equal to canonicalJson of the same object.
 */
export function canonicalEvent(e: {
  event_type: string;
  quantity: string;
  timestamp: string | null;
  properties: Record<string, string | number | boolean | null>;
}): string {
  const entries = Object.entries(e.properties).filter(([, v]) => v !== undefined);
  if (entries.length > 1) entries.sort(byKey);
  let props = "{";
  for (let i = 0; i < entries.length; i++) props += `${i ? "," : ""}${JSON.stringify(entries[i][0])}:${JSON.stringify(entries[i][1])}`;
  props += "}";
  return `{"event_type":${JSON.stringify(e.event_type)},"properties":${props},"quantity":${JSON.stringify(e.quantity)},"timestamp":${JSON.stringify(e.timestamp)}}`;
}
