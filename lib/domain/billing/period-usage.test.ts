import { describe, expect, it } from "vitest";
import { loadCatalog } from "@/catalogs";
import { findPlan } from "../catalog/lookup";
import { periodUsageTotals, pickSnapshot, snapshotInPeriod, type SnapshotRecord } from "./period-usage";

const jan = { start: new Date("2026-01-01T00:00:00Z"), end: new Date("2026-02-01T00:00:00Z") };
const snap = (takenOn: string, quantity: string, breakdown: Record<string, unknown> = {}): SnapshotRecord => ({
  metricCode: "m",
  takenOn,
  quantity,
  breakdown,
});

describe("period usage from stored counters and snapshots", () => {
  it.each([
    ["2025-12-31", false],
    ["2026-01-01", true],
    ["2026-01-31", true],
    ["2026-02-01", false], // the end day's snapshot belongs to the next period
  ])("snapshot of %s in [Jan 1, Feb 1): %s", (day, inside) => {
    expect(snapshotInPeriod(day, jan)).toBe(inside);
  });

  it.each([
    ["latest", [snap("2026-01-05", "9"), snap("2026-01-20", "4"), snap("2026-02-01", "50")], "4"],
    ["max", [snap("2026-01-05", "9"), snap("2026-01-20", "4"), snap("2026-02-01", "50")], "9"],
    ["latest", [snap("2025-12-20", "7"), snap("2025-11-20", "3")], "7"], // none in the period: carried forward
    ["max", [], null],
  ] as const)("%s of %j → %s", (aggregation, snapshots, expected) => {
    const picked = pickSnapshot({ metric: { code: "m", aggregation }, snapshots: [...snapshots], period: jan });
    expect(picked?.quantity ?? null).toBe(expected);
  });

  it("prices counted and dimensional metrics from one snapshot, metered from billable counters, credits by pool", () => {
    const cl = loadCatalog("compute-licences");
    const usage = periodUsageTotals({
      catalog: cl,
      plan: findPlan(cl, "platform"),
      counters: [],
      snapshots: [
        { metricCode: "licences", takenOn: "2026-01-30", quantity: "3", breakdown: { basic: 2, enterprise: 1, professional: 0 } },
        { metricCode: "users", takenOn: "2026-01-10", quantity: "6", breakdown: {} },
      ],
      period: jan,
    });
    expect(usage.dimensional).toEqual({ licences: { basic: "2", enterprise: "1" }, clusters: {} });
    expect(usage.metrics).toMatchObject({ users: "6", storage_gb: "0" });

    const ra = loadCatalog("reliability-ai");
    const fromPool = periodUsageTotals({
      catalog: ra,
      plan: findPlan(ra, "PRO"),
      counters: [{ metricCode: "credits", quantity: "1200", billableQuantity: "1200" }],
      snapshots: [],
      period: jan,
    });
    expect(fromPool.credits).toEqual({ credits: "1200" });
    // Without a pool counter, per-event-type counters convert through the credit rules (500 per optimizer job).
    const fromEvents = periodUsageTotals({
      catalog: ra,
      plan: findPlan(ra, "PRO"),
      counters: [{ metricCode: "optimizer_job", quantity: "3", billableQuantity: "3" }],
      snapshots: [],
      period: jan,
    });
    expect(fromEvents.credits).toEqual({ credits: "1500" });

    const an = loadCatalog("anomaly-detection");
    const metered = periodUsageTotals({
      catalog: an,
      plan: findPlan(an, "standard"),
      counters: [{ metricCode: "anomalies", quantity: "900", billableQuantity: "600" }],
      snapshots: [],
      period: jan,
    });
    expect(metered.metrics).toEqual({ anomalies: "600" }); // only billable (anomaly=true) events
  });
});
