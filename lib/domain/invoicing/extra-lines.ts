/** Lines computed elsewhere (gain-share fee, adjustments) joining an invoice with pre-rounded amounts. */
import { DomainError } from "../errors";
import { currencyMinorUnits, decimalPlacesOf, formatAmount, formatQuantity, toDecimal } from "../money";
import { formatUnitAmount, type InvoiceLine } from "../rating/line";

export type ExtraLine = {
  kind: "adjustment" | "gain_share";
  code: string;
  description: string;
  /** Already rounded to the currency's minor unit ("1250.00", "-30.00"). */
  amount: string;
  quantity?: string;
  unit_amount?: string;
};

export class InvoiceLineError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid_invoice_line", message, details);
  }
}

export function acceptExtraLine(line: ExtraLine, currency: string): InvoiceLine {
  if (line.kind !== "adjustment" && line.kind !== "gain_share") {
    throw new InvoiceLineError(`extra line ${line.code}: kind must be adjustment or gain_share, got ${String(line.kind)}`);
  }
  const amount = toDecimal(line.amount);
  const trimmed = amount.toFixed();
  if (decimalPlacesOf(trimmed) > currencyMinorUnits(currency)) {
    throw new InvoiceLineError(`extra line ${line.code}: amount ${line.amount} has more decimals than ${currency} allows`, {
      code: line.code,
    });
  }
  return {
    kind: line.kind,
    code: line.code,
    description: line.description,
    quantity: formatQuantity(line.quantity ?? "1"),
    unit_amount: formatUnitAmount(line.unit_amount ?? line.amount, currency),
    amount: formatAmount(amount, currency),
  };
}
