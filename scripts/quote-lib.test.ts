import { describe, expect, it } from "vitest";
import { catalogCodes, loadCatalog } from "../catalogs/index";
import { runQuote } from "./quote-lib";

const quote = (...argv: string[]) => runQuote(argv);
const json = (...argv: string[]) => {
  const r = runQuote(argv);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe("quote CLI", () => {
  it("prices the worked example: reliability-ai PRO, 1,050 assets, 1.2 M credits", () => {
    // 9,000 + 50 × 3.00 + 200,000 × 0.0020 = 9,550.00
    const out = json("--catalog", "reliability-ai", "--plan", "PRO", "--usage", '{"assets": 1050, "LLM_token_usage": 1200000}');
    expect(out).toEqual({
      catalog: "reliability-ai",
      plan: "PRO",
      currency: "CAD",
      lines: [
        { kind: "base_fee", code: "base_fee", description: expect.any(String), quantity: "1", unit_amount: "9000.00", amount: "9000.00" },
        { kind: "counted_overage", code: "assets", description: expect.any(String), quantity: "50", unit_amount: "3.00", amount: "150.00" },
        { kind: "credit_overage", code: "credits", description: expect.any(String), quantity: "200000", unit_amount: "0.0020", amount: "400.00" },
      ],
      subtotal: "9550.00",
      discount: "0.00",
      tax: "0.00",
      total: "9550.00",
    });
  });

  it("defaults to the default catalog and empty usage", () => {
    expect(json("--plan", "STARTER")).toMatchObject({ catalog: "reliability-ai", total: "4000.00" });
  });

  it("applies a promotion by 0-based period index and a tax rate", () => {
    const args = ["--catalog", "anomaly-detection", "--plan", "standard", "--usage", '{"anomalies": 300000}', "--promo", "LAUNCH50"];
    // 49 + 175 − 24.50 = 199.50
    expect(json(...args, "--period-index", "2")).toMatchObject({ subtotal: "224.00", discount: "24.50", total: "199.50" });
    expect(json(...args, "--period-index", "3")).toMatchObject({ discount: "0.00", total: "224.00" });
    // (224 − 24.50) × 7.25 % = 14.46375 → 14.46
    expect(json(...args, "--tax-rate", "US_CA")).toMatchObject({ tax: "14.46", total: "213.96" });
  });

  it("takes dimensional usage keyed by joined dimension values", () => {
    // 10 + 2 × 80 = 170
    expect(json("--catalog", "compute-licences", "--plan", "platform", "--usage", '{"clusters": {"medium:production": 2}}').total).toBe("170.00");
  });

  it("prices every plan of all five catalogs", () => {
    for (const code of catalogCodes) {
      for (const plan of loadCatalog(code).plans) {
        const out = json("--catalog", code, "--plan", plan.code, "--usage", "{}");
        expect(out.plan).toBe(plan.code);
        expect(out.lines.length).toBeGreaterThan(0);
      }
    }
  });

  it.each([
    [["--catalog", "nope", "--plan", "x"], 'unknown catalog "nope"'],
    [["--catalog", "reliability-ai", "--plan", "GOLD"], 'unknown plan "GOLD"'],
    [["--plan", "PRO", "--usage", '{"widgets": 1}'], 'unknown usage key "widgets"'],
    [["--catalog", "compute-licences", "--plan", "platform", "--usage", '{"clusters": {"huge:production": 1}}'], 'unknown dimension "huge:production"'],
    [["--plan", "PRO", "--promo", "FREE4EVER"], 'unknown promotion "FREE4EVER"'],
    [["--plan", "PRO", "--tax-rate", "VAT"], 'unknown tax rate "VAT"'],
    [["--plan", "PRO", "--discount", "5"], "Unknown option '--discount'"],
    [["--plan", "PRO", "--usage", "{assets: 1}"], "--usage is not valid JSON"],
    [["--plan", "PRO", "--usage", "[1]"], "--usage must be a JSON object"],
    [["--plan", "PRO", "--usage", '{"assets": -1}'], 'usage "assets": expected a non-negative number'],
    [["--plan", "PRO", "--period-index=-1"], "--period-index must be a non-negative integer"],
    [["--plan", "PRO", "--period-index", "-1"], "--period-index"], // parseArgs refuses "-1" as a value
    [["--plan", "PRO", "--period-index", "1.5"], "--period-index must be a non-negative integer"],
    [["--catalog", "reliability-ai"], "--plan is required"],
    [["--plan", "PRO", "extra"], "Unexpected argument 'extra'"],
  ])("%j → exit 2 naming the problem", (argv, message) => {
    const r = quote(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });

  it("--help prints usage", () => {
    expect(quote("--help")).toMatchObject({ code: 0, stdout: expect.stringContaining("--period-index") });
  });
});
