/**
 * Runs once when a server instance starts: parses the environment (a bad value stops start-up with a
 * message naming it) and opens the database (migrations, and the demo seed on an empty embedded one).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./instrumentation-node")).registerNode();
}
