/** A headline figure with its label and an optional hint underneath. */
export function Stat({ label, value, hint, tone = "neutral" }: { label: string; value: React.ReactNode; hint?: React.ReactNode; tone?: "neutral" | "warn" | "bad" | "good" }) {
  const valueColor = tone === "bad" ? "text-red-700" : tone === "warn" ? "text-amber-800" : tone === "good" ? "text-emerald-800" : "text-slate-900";
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</p>
      <p className={`mt-1 text-xl font-semibold tabular sm:text-2xl ${valueColor}`}>{value}</p>
      {hint ? <p className="mt-1 text-sm text-slate-600">{hint}</p> : null}
    </div>
  );
}
