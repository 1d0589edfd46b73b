import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/guards";
import { signOutAction } from "../actions";

export const metadata: Metadata = { title: "Sign out" };

export default async function SignOutPage() {
  const user = await requireUser();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 text-center shadow-sm">
        <h1 className="text-lg font-semibold">Sign out?</h1>
        <p className="mt-2 text-sm text-slate-600">You are signed in as {user.email}.</p>
        <form action={signOutAction} className="mt-6">
          <button type="submit" className="w-full rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
            Sign out
          </button>
        </form>
      </div>
    </main>
  );
}
