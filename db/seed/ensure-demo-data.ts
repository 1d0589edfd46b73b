import type { Db } from "@/db/client";
import { isEmpty, seedDemo } from "./demo";

/** Called when the embedded (PGlite) database opens: seeds the demo on the first start, else nothing. */
export async function ensureDemoData(db: Db, params: { catalog: string }): Promise<void> {
  if (!(await isEmpty(db))) return;
  const started = Date.now();
  const summary = await seedDemo(db, { catalog: params.catalog });
  console.log(
    `[meterline] seeded the demo database (${summary.catalog}: ${summary.tenants.length} tenants, ` +
      `${summary.tenants.reduce((n, t) => n + t.events, 0)} usage events) in ${Date.now() - started} ms`,
  );
}
