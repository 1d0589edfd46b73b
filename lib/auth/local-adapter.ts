import { cookies } from "next/headers";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import type { AuthAdapter } from "./adapter";
import { verifyPassword } from "./password";
import { sessionSecret } from "./secret";
import { signSession, verifySession } from "./session-token";

export const SESSION_COOKIE = "ml_session";
const SESSION_DAYS = 7;
// Compared against when the email is unknown, so both paths cost one scrypt (no user enumeration by timing).
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Meterline's own accounts: scrypt-hashed passwords and a signed, httpOnly, SameSite=Lax cookie. */
export const localAdapter: AuthAdapter = {
  kind: "local",
  async currentIdentity() {
    const token = (await cookies()).get(SESSION_COOKIE)?.value;
    const payload = verifySession(token, sessionSecret(), Math.floor(Date.now() / 1000));
    return payload ? { userId: payload.sub } : null;
  },
  async signIn(email, password) {
    const db = await getDb();
    const [user] = await db
      .select({ id: users.id, passwordHash: users.passwordHash })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email.trim()})`);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) return { ok: false, error: "Email or password is incorrect." };
    const exp = Math.floor(Date.now() / 1000) + SESSION_DAYS * 86_400;
    (await cookies()).set(SESSION_COOKIE, signSession({ sub: user.id, exp }, sessionSecret()), {
      httpOnly: true,
      sameSite: "lax",
      secure: env().APP_URL.startsWith("https://"),
      path: "/",
      maxAge: SESSION_DAYS * 86_400,
    });
    return { ok: true };
  },
  async signOut() {
    (await cookies()).delete(SESSION_COOKIE);
  },
};
