/** Start-up work of a Node.js server instance (see instrumentation.ts). */
export async function registerNode(): Promise<void> {
  const { env } = await import("./lib/env");
  try {
    env();
  } catch (err) {
    // A wrong environment stops start-up with a message naming the variable.
    console.error(`\n[meterline] ${(err as Error).message}\n`);
    process.exit(1);
  }
  const { getDbHandle } = await import("./db");
  await getDbHandle();
}
