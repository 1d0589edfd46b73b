import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getSessionUser()) redirect("/");
  const { next } = await searchParams;
  const demo = !env().DATABASE_URL;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-bold tracking-tight text-brand-700">Meterline</p>
          <h1 className="mt-2 text-lg font-medium text-slate-800">Sign in to your billing console</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm next={next} />
        </div>
        {demo ? (
          <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700">
            <p className="font-medium text-slate-900">Demo accounts</p>
            <p className="mt-1">
              Password <code className="rounded bg-slate-100 px-1">meterline-demo</code> for{" "}
              <code className="rounded bg-slate-100 px-1">owner@northwind.example</code>,{" "}
              <code className="rounded bg-slate-100 px-1">member@northwind.example</code> and the operator{" "}
              <code className="rounded bg-slate-100 px-1">admin@meterline.example</code>.
            </p>
          </div>
        ) : null}
      </div>
    </main>
  );
}
