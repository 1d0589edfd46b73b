/** Rates one price component of a plan against normalized usage totals. */
import { describeCell, dimensionCells } from "../catalog/dimensions";
import { findMetric } from "../catalog/lookup";
import type { Catalog, PriceComponent } from "../catalog/types";
import { toDecimal } from "../money";
import { describeInterval } from "../period";
import { formatUnitAmount, groupDigits, makeLine, type InvoiceLine } from "./line";
import { rateOverage } from "./rate-overage";
import type { UsageTotals } from "./usage-totals";

export function rateComponent(params: {
  catalog: Catalog;
  component: PriceComponent;
  usage: UsageTotals;
  currency: string;
  planLabel: string;
  interval: Parameters<typeof describeInterval>[0];
}): InvoiceLine[] {
  const { catalog, component: c, usage, currency } = params;
  switch (c.kind) {
    case "base_fee":
      return [
        makeLine({
          kind: "base_fee",
          code: c.code,
          description: `${c.name}: ${params.planLabel}, ${describeInterval(params.interval)}`,
          quantity: "1",
          unitAmount: c.amount,
          currency,
        }),
      ];
    case "credit_pool":
      return [
        rateOverage({
          kind: "credit_overage",
          code: c.code,
          name: c.name,
          unit: "credit",
          used: usage.credits?.[c.code] ?? "0",
          included: c.included,
          unitPrice: c.price_per_credit,
          currency,
        }),
      ];
    case "metered":
    case "counted": {
      const metric = findMetric(catalog, c.metric);
      return [
        rateOverage({
          kind: c.kind === "metered" ? "metered_overage" : "counted_overage",
          code: c.code,
          name: c.name,
          unit: metric.unit,
          used: usage.metrics?.[c.metric] ?? "0",
          included: c.included,
          unitPrice: c.unit_price,
          per: c.per,
          rounding: c.rounding,
          currency,
          qualifier: metric.aggregation ? `${metric.aggregation} snapshot` : undefined,
        }),
      ];
    }
    case "dimensional": {
      const metric = findMetric(catalog, c.metric);
      const cells = usage.dimensional?.[c.metric] ?? {};
      // One line per cell with a quantity, in the catalog's cell order; empty cells make no line.
      return dimensionCells(metric)
        .filter((cell) => cells[cell] !== undefined && !toDecimal(cells[cell]).isZero())
        .map((cell) =>
          makeLine({
            kind: "dimensional",
            code: `${c.code}:${cell}`,
            description: `${c.name}, ${describeCell(cell)}: ${groupDigits(cells[cell])} at ${formatUnitAmount(c.prices[cell], currency)} each`,
            quantity: cells[cell],
            unitAmount: c.prices[cell],
            currency,
          }),
        );
    }
  }
}
