import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../catalogs/index";
import { findPlan } from "../catalog";
import { testCatalog } from "../test-fixtures";
import { resolveEvent } from "./resolve-event";

const catalog = testCatalog();
const plan = findPlan(catalog, "all");
const resolve = (eventType: string, quantity: string | number, properties?: Record<string, unknown>) =>
  resolveEvent({ catalog, plan, eventType, quantity, properties });

describe("resolveEvent: metrics", () => {
  it("a metric's event type feeds it with the event quantity", () => {
    expect(resolve("llm_call", "500")).toEqual({
      ok: true,
      event_type: "llm_call",
      quantity: "500",
      billable: true,
      metrics: [{ metric: "tokens", aggregation: "sum", cell: null, billable: true, quantity: "500" }],
      credits: [],
      total_credits: "0",
    });
  });

  it("the metric code itself is always an accepted event type", () => {
    expect(resolve("tokens", 2)).toMatchObject({ ok: true, metrics: [{ metric: "tokens", quantity: "2" }] });
  });

  it("a count metric counts events, not quantities", () => {
    expect(resolve("calls", "7")).toMatchObject({ ok: true, metrics: [{ metric: "calls", aggregation: "count", quantity: "1" }] });
  });

  it("snapshot metrics say how the period total is formed", () => {
    expect(resolve("seats", "12")).toMatchObject({ ok: true, metrics: [{ metric: "seats", aggregation: "max", quantity: "12" }] });
  });

  it.each([
    [{ flagged: true }, true, "4"],
    [{ flagged: false }, false, "0"],
    [{ flagged: "true" }, false, "0"], // equality is strict: the string "true" is not true
    [{}, false, "0"],
  ])("filter {flagged: true} with %j → billable %s", (properties, billable, quantity) => {
    expect(resolve("scan", "4", properties)).toMatchObject({
      ok: true,
      billable,
      quantity: "4",
      metrics: [{ metric: "flags", billable, quantity }],
    });
  });

  it("dimensional metrics take their cell from the properties", () => {
    expect(resolve("vms", "2", { size: "l", zone: "us" })).toMatchObject({ ok: true, metrics: [{ metric: "vms", cell: "l:us" }] });
    expect(resolve("vms", "2", { size: "l" })).toMatchObject({ ok: false, code: "invalid_dimension" });
    expect(resolve("vms", "2", { size: "xl", zone: "us" })).toMatchObject({ ok: false, code: "invalid_dimension" });
  });
});

describe("resolveEvent: credits", () => {
  it.each([
    ["image", "3", "15"], // 3 × 5
    ["video_minute", "1.5", "3.75"], // 1.5 × 2.5
  ])("%s × %s burns %s credits", (eventType, quantity, credits) => {
    expect(resolve(eventType, quantity)).toMatchObject({
      ok: true,
      billable: true,
      metrics: [],
      credits: [{ pool: "credits", credits }],
      total_credits: credits,
    });
  });
});

describe("resolveEvent: refusals", () => {
  it.each([
    ["nope", "1", "unknown_event_type"],
    ["tokens", "0", "invalid_quantity"],
    ["tokens", "-3", "invalid_quantity"], // tokens does not allow corrections
    ["image", "abc", "invalid_quantity"],
    ["image", Number.NaN, "invalid_quantity"],
  ])("%s × %s → %s", (eventType, quantity, code) => {
    expect(resolve(eventType, quantity as string)).toMatchObject({ ok: false, code });
  });

  it("a metric of the catalog that the plan does not price is unknown to that plan", () => {
    const yen = findPlan(catalog, "yen");
    expect(resolveEvent({ catalog, plan: yen, eventType: "seats", quantity: 1 })).toMatchObject({ ok: false, code: "unknown_event_type" });
  });
});

describe("shipped catalogs", () => {
  it("reliability-ai: credit rules per event type", () => {
    const c = loadCatalog("reliability-ai");
    const pro = findPlan(c, "PRO");
    const credits = (eventType: string, quantity: string) => {
      const r = resolveEvent({ catalog: c, plan: pro, eventType, quantity });
      return r.ok ? r.total_credits : r.code;
    };
    expect(credits("LLM_token_usage", "1500")).toBe("1500"); // 1,500 × 1,000 tokens × 1 credit
    expect(credits("vision_frame_batch", "2")).toBe("10"); // 2 × 100 frames × 5
    expect(credits("optimizer_job", "1")).toBe("500");
    expect(credits("simulator_run", "3")).toBe("3000");
    expect(credits("assets", "1")).toBe("0");
    expect(credits("LLM_tokens", "1")).toBe("unknown_event_type");
  });

  it("anomaly-detection: only detections with anomaly === true are billable; others are accepted free", () => {
    const c = loadCatalog("anomaly-detection");
    const standard = findPlan(c, "standard");
    const detect = (properties: Record<string, unknown>) =>
      resolveEvent({ catalog: c, plan: standard, eventType: "detection", quantity: 1, properties });
    expect(detect({ anomaly: true })).toMatchObject({ ok: true, billable: true, metrics: [{ metric: "anomalies", quantity: "1" }] });
    expect(detect({ anomaly: false, score: 0.2 })).toMatchObject({ ok: true, billable: false, metrics: [{ metric: "anomalies", quantity: "0" }] });
  });
});
