/**
 * The quote CLI's logic, kept free of process I/O so it can be tested: prices a plan of a shipped
 * catalog for given usage totals with the same engine that builds invoices.
 *
 *   npm run quote -- --catalog <code> --plan <code> --usage '<json>'
 *                    [--promo <code>] [--period-index <n>] [--tax-rate <code>]
 *
 * Exit codes: 0 priced; 2 bad input (unknown catalog, plan, usage key, dimension, promotion,
 * tax rate or flag; invalid JSON or number); 1 unexpected failure.
 */
import { parseArgs } from "node:util";
import { catalogCodes, DEFAULT_CATALOG, loadCatalog } from "../catalogs/index";
import { findPlan, findPromotion, findTaxRate } from "../lib/domain/catalog";
import { DomainError } from "../lib/domain/errors";
import { buildInvoicePreview } from "../lib/domain/invoicing/build-invoice-preview";
import { normalizeUsage, type RawUsage } from "../lib/domain/rating/normalize-usage";

export type QuoteResult = { code: number; stdout: string; stderr: string };

export const QUOTE_USAGE = `usage: npm run quote -- --catalog <code> --plan <code> --usage '<json>' [--promo <code>] [--period-index <n>] [--tax-rate <code>]

  --catalog       one of ${catalogCodes.join(", ")} (default ${DEFAULT_CATALOG})
  --plan          plan code of that catalog
  --usage         JSON object of usage totals keyed by metric code, credit pool code or credit event
                  type (event units); dimensional metrics take {"<dim1>:<dim2>": quantity}
  --promo         promotion code of the catalog
  --period-index  0-based period of the subscription (default 0; drives promotions)
  --tax-rate      tax rate code of the catalog
`;

class InputError extends Error {}

function fail(message: string): QuoteResult {
  return { code: 2, stdout: "", stderr: `quote: ${message}\n` };
}

export function runQuote(argv: string[]): QuoteResult {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        catalog: { type: "string" },
        plan: { type: "string" },
        usage: { type: "string" },
        promo: { type: "string" },
        "period-index": { type: "string" },
        "tax-rate": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n${QUOTE_USAGE}`);
  }
  if (values.help) return { code: 0, stdout: QUOTE_USAGE, stderr: "" };

  try {
    const catalog = loadCatalog(values.catalog ?? DEFAULT_CATALOG);
    if (!values.plan) throw new InputError(`--plan is required (plans of ${catalog.code}: ${catalog.plans.map((p) => p.code).join(", ")})`);
    const plan = findPlan(catalog, values.plan);

    let raw: unknown = {};
    if (values.usage !== undefined) {
      try {
        raw = JSON.parse(values.usage);
      } catch (error) {
        throw new InputError(`--usage is not valid JSON: ${(error as Error).message}`);
      }
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new InputError("--usage must be a JSON object, e.g. '{\"assets\": 1050}'");
    }

    const indexText = values["period-index"] ?? "0";
    if (!/^\d+$/.test(indexText) || !Number.isSafeInteger(Number(indexText))) {
      throw new InputError(`--period-index must be a non-negative integer, got "${indexText}"`);
    }

    const promotion = values.promo !== undefined ? findPromotion(catalog, values.promo) : null;
    const taxRate = values["tax-rate"] !== undefined ? findTaxRate(catalog, values["tax-rate"]) : null;
    const usage = normalizeUsage({ catalog, plan, raw: raw as RawUsage });
    const preview = buildInvoicePreview({ catalog, plan, periodIndex: Number(indexText), usage, promotion, taxRate });

    const out = {
      catalog: catalog.code,
      plan: plan.code,
      currency: preview.currency,
      lines: preview.lines.map((l) => ({
        kind: l.kind,
        code: l.code,
        description: l.description,
        quantity: l.quantity,
        unit_amount: l.unit_amount,
        amount: l.amount,
      })),
      subtotal: preview.subtotal,
      discount: preview.discount,
      tax: preview.tax,
      total: preview.total,
    };
    return { code: 0, stdout: `${JSON.stringify(out, null, 2)}\n`, stderr: "" };
  } catch (error) {
    if (error instanceof InputError || error instanceof DomainError) return fail(error.message);
    return { code: 1, stdout: "", stderr: `quote: unexpected error: ${(error as Error).stack ?? String(error)}\n` };
  }
}
