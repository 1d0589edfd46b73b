/**
 * Included-quantity-plus-overage rating shared by metered, counted and credit-pool components:
 * overage = max(0, used − included); packages = overage / per (ceil when rounding is "up");
 * amount = packages × unit price, rounded once.
 */
import { Decimal, toDecimal, type DecimalInput } from "../money";
import type { Included, PackageRounding } from "../catalog/types";
import { formatUnitAmount, groupDigits, makeLine, type InvoiceLine, type LineKind } from "./line";

export type OverageResult = { used: Decimal; overage: Decimal; packages: Decimal };

/** Billable packages beyond the included quantity. */
export function overagePackages(params: {
  used: DecimalInput;
  included: Included;
  per?: DecimalInput;
  rounding?: PackageRounding;
}): OverageResult {
  const used = toDecimal(params.used);
  if (params.included === "unlimited") return { used, overage: new Decimal(0), packages: new Decimal(0) };
  const overage = Decimal.max(0, used.minus(toDecimal(params.included)));
  let packages = overage.dividedBy(toDecimal(params.per ?? "1"));
  if (params.rounding === "up") packages = packages.ceil();
  return { used, overage, packages };
}

export function rateOverage(params: {
  kind: LineKind;
  code: string;
  name: string;
  unit: string;
  used: DecimalInput;
  included: Included;
  unitPrice: string;
  per?: string;
  rounding?: PackageRounding;
  currency: string;
  /** e.g. "latest snapshot" */
  qualifier?: string;
}): InvoiceLine {
  const per = params.per ?? "1";
  const { used, overage, packages } = overagePackages({
    used: params.used,
    included: params.included,
    per,
    rounding: params.rounding,
  });
  const perText = toDecimal(per).equals(1) ? `per ${params.unit}` : `per ${groupDigits(per)} ${params.unit}`;
  // Snapshot quantities are counts ("Assets (latest snapshot): 1,050"), event quantities are used.
  const head = `${params.name}${params.qualifier ? ` (${params.qualifier}): ${groupDigits(used)}` : `: ${groupDigits(used)} used`}`;
  const description =
    params.included === "unlimited"
      ? `${head}, unlimited included`
      : `${head}, ${groupDigits(params.included)} included; ${groupDigits(overage)} beyond at ${formatUnitAmount(params.unitPrice, params.currency)} ${perText}` +
        (params.rounding === "up" && !toDecimal(per).equals(1) ? " (whole packages)" : "");
  return makeLine({
    kind: params.kind,
    code: params.code,
    description,
    quantity: packages,
    unitAmount: params.unitPrice,
    currency: params.currency,
  });
}
