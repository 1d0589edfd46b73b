import { cookies } from "next/headers";
import { createServerClient } from "@supabase/ssr";
import WebSocket from "ws";
import { env } from "@/lib/env";
import type { AuthAdapter } from "./adapter";

async function supabase() {
  const e = env();
  const store = await cookies();
  return createServerClient(e.NEXT_PUBLIC_SUPABASE_URL!, e.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    cookies: {
      getAll: () => store.getAll(),
      setAll: (list) => {
        try {
          for (const { name, value, options } of list) store.set(name, value, options);
        } catch {
          // Server Components cannot set cookies; the next action or route refreshes them.
        }
      },
    },
    // Node 20 has no global WebSocket; supabase-js constructs realtime eagerly.
    realtime: { transport: WebSocket as never },
  });
}

/**
 * Supabase Auth. Authorization always comes from getUser() (verified by Supabase), never from getSession()
 * (which only decodes the cookie).
 */
export const supabaseAdapter: AuthAdapter = {
  kind: "supabase",
  async currentIdentity() {
    const { data, error } = await (await supabase()).auth.getUser();
    if (error || !data.user) return null;
    return { supabaseUserId: data.user.id, email: data.user.email ?? undefined };
  },
  async signIn(email, password) {
    const { error } = await (await supabase()).auth.signInWithPassword({ email, password });
    return error ? { ok: false, error: "Email or password is incorrect." } : { ok: true };
  },
  async signOut() {
    await (await supabase()).auth.signOut();
  },
};
