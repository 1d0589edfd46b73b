import { describe, expect, it } from "vitest";
import { parseQuantity } from "./parse-quantity";
import { canonicalEvent, canonicalJson } from "./canonical-json";

describe("parseQuantity", () => {
  it.each([
    ["12.5", "12.5"],
    [12.5, "12.5"],
    ["0012.500", "12.5"],
    [1, "1"],
    [0.1, "0.1"],
    [1e21, "1000000000000000000000"],
    [1.5e-7, "0.00000015"],
    ["-3", "-3"],
    ["0.000000000001", "0.000000000001"],
    ["99999999999999999999999999", "99999999999999999999999999"],
  ])("accepts %j as %s", (input, expected) => {
    expect(parseQuantity(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [Number.NaN, /finite/],
    [Infinity, /finite/],
    [1e309, /finite/],
    ["1e309", /decimal/],
    ["NaN", /decimal/],
    ["abc", /decimal/],
    ["", /decimal/],
    ["1".repeat(40), /integer digits/],
    [1e39, /integer digits|out of range/],
    ["0.0000000000001", /decimal places/],
    [true, /decimal/],
    [null, /decimal/],
    [{}, /decimal/],
    ["1".repeat(100), /too long/],
  ])("refuses %j", (input, message) => {
    const r = parseQuantity(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it("keeps zero as 0 so that callers can refuse it", () => {
    expect(parseQuantity("0.000")).toEqual({ ok: true, value: "0" });
    expect(parseQuantity(-0)).toEqual({ ok: true, value: "0" });
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it("equal objects in any key order give the same string", () => {
    expect(canonicalJson({ x: "1", y: true })).toBe(canonicalJson({ y: true, x: "1" }));
  });
});

describe("canonicalEvent", () => {
  it.each([
    [{ event_type: "a", quantity: "1", timestamp: null, properties: {} }],
    [{ event_type: "x\"y", quantity: "1.5", timestamp: "2026-01-01T00:00:00.000Z", properties: { z: 1, a: "b", m: null, t: true } }],
    [{ event_type: "a", quantity: "2", timestamp: null, properties: { "é": "ü", "\n": "q" } }],
  ])("equals canonicalJson of the same event %#", (e) => {
    expect(canonicalEvent(e)).toBe(canonicalJson(e));
  });
});
