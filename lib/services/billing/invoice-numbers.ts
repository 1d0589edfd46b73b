import { sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "@/db/client";

/** "INV-2026-000042": prefix, year of issue, six digits (more if a year ever needs them). */
export function formatInvoiceNumber(prefix: string, year: number, value: number): string {
  return `${prefix}-${year}-${String(value).padStart(6, "0")}`;
}

/**
 * Allocates the next invoice number of (prefix, year) inside the caller's transaction. The row stays
 * locked until that transaction ends, so concurrent allocations queue; a rollback returns the number.
 * Gapless and unique by construction — never call this outside the transaction that inserts the invoice.
 */
export async function allocateInvoiceNumber(
  tx: DbOrTx,
  params: { prefix: string; issuedAt: Date },
): Promise<{ number: string; year: number; value: number }> {
  const year = params.issuedAt.getUTCFullYear();
  const result = await tx.execute(sql`
    insert into invoice_number_sequences (prefix, year, last_value) values (${params.prefix}, ${year}, 1)
    on conflict (prefix, year) do update set last_value = invoice_number_sequences.last_value + 1
    returning last_value`);
  const value = Number(rowsOf<{ last_value: string | number }>(result)[0].last_value);
  return { number: formatInvoiceNumber(params.prefix, year, value), year, value };
}
