"use client";

/**
 * Estimates the credits a workload burns from the plan's credit rules, and what it would cost beyond the
 * credits left this period. Display only; exact decimals (decimal.js via the engine's Decimal), no floats.
 */
import { useId, useState } from "react";
import { Decimal } from "@/lib/domain/money";

export interface CalculatorRule {
  eventType: string;
  name: string;
  creditsPerUnit: string;
  unitLabel: string;
}

const QUANTITY = /^\d{0,12}(\.\d{0,6})?$/;

export function CreditCalculator({
  rules,
  remaining,
  pricePerCredit,
  currency,
  locale,
}: {
  rules: CalculatorRule[];
  /** Credits left in this period's pool (decimal string). */
  remaining: string;
  pricePerCredit: string;
  currency: string;
  locale: string;
}) {
  const id = useId();
  const [units, setUnits] = useState<Record<string, string>>(() => Object.fromEntries(rules.map((r) => [r.eventType, ""])));
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const money = new Intl.NumberFormat(locale, { style: "currency", currency });
  const fmt = (d: Decimal, f: Intl.NumberFormat) => f.format(d.toFixed() as unknown as number);

  let total = new Decimal(0);
  const perRule = rules.map((r) => {
    const raw = units[r.eventType] ?? "";
    const q = raw === "" || raw === "." ? new Decimal(0) : new Decimal(raw);
    const credits = q.times(new Decimal(r.creditsPerUnit));
    total = total.plus(credits);
    return { ...r, credits };
  });
  const left = new Decimal(remaining);
  const beyond = Decimal.max(0, total.minus(left));
  const cost = beyond.times(new Decimal(pricePerCredit));

  return (
    <div>
      <div className="grid gap-3 sm:grid-cols-2">
        {perRule.map((r) => (
          <div key={r.eventType}>
            <label htmlFor={`${id}-${r.eventType}`} className="block text-sm font-medium text-slate-800">
              {r.name} <span className="font-normal text-slate-600">(units of {r.unitLabel})</span>
            </label>
            <input
              id={`${id}-${r.eventType}`}
              inputMode="decimal"
              autoComplete="off"
              value={units[r.eventType]}
              placeholder="0"
              onChange={(e) => {
                const v = e.target.value.replace(/,/g, "");
                if (QUANTITY.test(v)) setUnits((u) => ({ ...u, [r.eventType]: v }));
              }}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm tabular"
            />
            <p className="mt-1 text-xs text-slate-600 tabular">
              × {number.format(r.creditsPerUnit as unknown as number)} = {fmt(r.credits, number)} credits
            </p>
          </div>
        ))}
      </div>
      <dl aria-live="polite" className="mt-4 grid gap-2 rounded-lg bg-slate-50 p-4 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-600">Credits</dt>
          <dd className="text-lg font-semibold tabular">{fmt(total, number)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Beyond what is left this period</dt>
          <dd className="text-lg font-semibold tabular">{fmt(beyond, number)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Estimated extra cost</dt>
          <dd className="text-lg font-semibold tabular">{fmt(cost, money)}</dd>
        </div>
      </dl>
    </div>
  );
}
