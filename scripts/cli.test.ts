import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { commands } from "./commands";
import { runCli } from "./cli";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe("meterline CLI", () => {
  it("prints usage and exits 2 without a command", async () => {
    const c = capture();
    expect(await runCli([], c.io)).toBe(2);
    expect(c.out.join("\n")).toMatch(/Usage: npm run meterline -- <command>/);
  });

  it("exits 2 on an unknown command, naming it", async () => {
    const c = capture();
    expect(await runCli(["frobnicate"], c.io)).toBe(2);
    expect(c.err[0]).toBe('Unknown command "frobnicate".');
  });

  it("exits 2 on a bad flag, with the command's usage", async () => {
    const c = capture();
    expect(await runCli(["seed", "--bogus"], c.io)).toBe(2);
    expect(c.err.join("\n")).toMatch(/bogus/);
    expect(c.err.join("\n")).toMatch(/seed \[--reset\]/);
  });

  it("exits 2 on an unknown catalog", async () => {
    const c = capture();
    expect(await runCli(["seed", "--catalog", "nope"], c.io)).toBe(2);
    expect(c.err.join("\n")).toMatch(/unknown catalog "nope"/);
  });

  it("every command is documented in the README", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const c of commands) expect(readme, c.name).toContain(`npm run meterline -- ${c.name}`);
  });
});
