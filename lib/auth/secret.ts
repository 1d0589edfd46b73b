import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

let cached: string | undefined;

/**
 * The key that signs session cookies: SESSION_SECRET, or (for the embedded demo and development) a random
 * key created once and kept in ./.data/session-secret so sessions survive restarts. Production with a
 * DATABASE_URL refuses to start without SESSION_SECRET (lib/env.ts).
 */
export function sessionSecret(): string {
  if (cached) return cached;
  const fromEnv = env().SESSION_SECRET;
  if (fromEnv) return (cached = fromEnv);
  const file = path.join(process.cwd(), ".data", "session-secret");
  try {
    cached = readFileSync(file, "utf8").trim();
    if (cached.length >= 32) return cached;
  } catch {
    /* first start */
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
    cached = secret;
  } catch {
    cached = readFileSync(file, "utf8").trim(); // another process created it first
  }
  return cached;
}
