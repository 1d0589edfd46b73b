"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { authAdapter } from "@/lib/auth/session";

const signInSchema = z.strictObject({
  email: z.string().trim().email("Enter a valid email address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
  next: z.string().optional(),
});

export interface SignInState {
  error?: string;
  fields?: { email?: string; password?: string };
  email?: string;
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({
    email: form.get("email") ?? "",
    password: form.get("password") ?? "",
    next: form.get("next") || undefined,
  });
  if (!parsed.success) {
    const fields: SignInState["fields"] = {};
    for (const issue of parsed.error.issues) fields[issue.path[0] as "email" | "password"] ??= issue.message;
    return { fields, email: String(form.get("email") ?? "") };
  }
  const result = await authAdapter().signIn(parsed.data.email, parsed.data.password);
  if (!result.ok) return { error: result.error, email: parsed.data.email };
  // Only same-site paths: never an open redirect.
  const next = parsed.data.next && /^\/(?!\/)[\w\-/?=&%.]*$/.test(parsed.data.next) ? parsed.data.next : "/";
  redirect(next);
}

export async function signOutAction(): Promise<void> {
  await authAdapter().signOut();
  redirect("/sign-in");
}
