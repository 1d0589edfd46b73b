/** Property tests of the engine over the test catalog and all five shipped catalogs. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadAllCatalogs } from "../../../catalogs/index";
import { dimensionCells, type Catalog, type Plan } from "../catalog";
import { currencyMinorUnits, sumDecimals, toDecimal } from "../money";
import type { UsageTotals } from "../rating/usage-totals";
import { testCatalog } from "../test-fixtures";
import { buildInvoicePreview } from "./build-invoice-preview";

const catalogs: Catalog[] = [testCatalog(), ...loadAllCatalogs()];
const plans: { catalog: Catalog; plan: Plan }[] = catalogs.flatMap((catalog) => catalog.plans.map((plan) => ({ catalog, plan })));

/** Non-negative quantity with up to 3 decimals, as a string, up to 50 M. */
const quantity = fc
  .tuple(fc.nat({ max: 50_000_000 }), fc.nat({ max: 999 }), fc.boolean())
  .map(([int, frac, whole]) => (whole ? String(int) : `${int}.${String(frac).padStart(3, "0")}`));

/** Usage for every priced code of a plan, from a generator of quantities. */
function usageFor(catalog: Catalog, plan: Plan, q: () => string): UsageTotals {
  const usage: Required<Pick<UsageTotals, "metrics" | "credits" | "dimensional">> = { metrics: {}, credits: {}, dimensional: {} };
  for (const c of plan.components) {
    if (c.kind === "base_fee") continue;
    if (c.kind === "credit_pool") usage.credits[c.code] = q();
    else if (c.kind === "dimensional") {
      const metric = catalog.metrics.find((m) => m.code === c.metric)!;
      usage.dimensional[c.metric] = Object.fromEntries(dimensionCells(metric).map((cell) => [cell, q()]));
    } else usage.metrics[c.metric] = q();
  }
  return usage;
}

const arbitraryInvoice = fc
  .record({
    which: fc.nat({ max: plans.length - 1 }),
    quantities: fc.array(quantity, { minLength: 20, maxLength: 20 }),
    promoPick: fc.nat({ max: 10 }),
    taxPick: fc.nat({ max: 10 }),
    periodIndex: fc.nat({ max: 6 }),
  })
  .map(({ which, quantities, promoPick, taxPick, periodIndex }) => {
    const { catalog, plan } = plans[which];
    let i = 0;
    const usage = usageFor(catalog, plan, () => quantities[i++ % quantities.length]);
    const eligible = catalog.promotions.filter((p) => p.plans === null || p.plans.includes(plan.code));
    return {
      catalog,
      plan,
      usage,
      periodIndex,
      promotion: eligible[promoPick] ?? null,
      taxRate: catalog.tax_rates[taxPick] ?? null,
    };
  });

describe("invoice invariants", () => {
  it("total = Σ rounded line amounts; subtotal, discount and tax are sums of their lines", () => {
    fc.assert(
      fc.property(arbitraryInvoice, (input) => {
        const p = buildInvoicePreview(input);
        const sum = (pred: (kind: string) => boolean) => sumDecimals(p.lines.filter((l) => pred(l.kind)).map((l) => l.amount));
        expect(toDecimal(p.total).equals(sum(() => true))).toBe(true);
        expect(toDecimal(p.subtotal).equals(sum((k) => k !== "promotion" && k !== "tax"))).toBe(true);
        expect(toDecimal(p.discount).negated().equals(sum((k) => k === "promotion"))).toBe(true);
        expect(toDecimal(p.tax).equals(sum((k) => k === "tax"))).toBe(true);
        expect(toDecimal(p.total).isNegative()).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it("no amount has more decimals than the currency allows (and always exactly that many)", () => {
    fc.assert(
      fc.property(arbitraryInvoice, (input) => {
        const p = buildInvoicePreview(input);
        const units = currencyMinorUnits(p.currency);
        const shape = units === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${units}}$`);
        for (const amount of [...p.lines.map((l) => l.amount), p.subtotal, p.discount, p.tax, p.total]) {
          expect(amount).toMatch(shape);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("rating is monotone in usage: more of anything never costs less, line by line", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: plans.length - 1 }),
        fc.array(fc.tuple(quantity, quantity), { minLength: 20, maxLength: 20 }),
        (which, pairs) => {
          const { catalog, plan } = plans[which];
          let i = 0;
          let j = 0;
          const less = usageFor(catalog, plan, () => pairs[i++ % pairs.length][0]);
          // the same codes, each increased by a non-negative amount
          const more = usageFor(catalog, plan, () => {
            const [a, b] = pairs[j++ % pairs.length];
            return toDecimal(a).plus(toDecimal(b)).toFixed();
          });
          const a = buildInvoicePreview({ catalog, plan, periodIndex: 0, usage: less });
          const b = buildInvoicePreview({ catalog, plan, periodIndex: 0, usage: more });
          expect(toDecimal(b.total).greaterThanOrEqualTo(a.total)).toBe(true);
          for (const line of a.lines) {
            const after = b.lines.find((l) => l.code === line.code);
            expect(after, line.code).toBeDefined();
            expect(toDecimal(after!.amount).greaterThanOrEqualTo(line.amount)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
