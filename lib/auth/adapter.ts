/** What a sign-in method must provide; both adapters are reached only through lib/auth/session.ts. */
export interface AuthIdentity {
  /** Meterline users.id when known (local accounts). */
  userId?: string;
  /** Supabase auth user id, resolved to users.supabase_user_id. */
  supabaseUserId?: string;
  email?: string;
}

export interface AuthAdapter {
  kind: "local" | "supabase";
  /** The verified identity behind the request's cookies, or null. */
  currentIdentity(): Promise<AuthIdentity | null>;
  signIn(email: string, password: string): Promise<{ ok: true } | { ok: false; error: string }>;
  signOut(): Promise<void>;
}
