import { describe, expect, it } from "vitest";
import { signSession, verifySession } from "./session-token";
import { hashPassword, verifyPassword } from "./password";

const secret = "s".repeat(40);

describe("session tokens", () => {
  const token = signSession({ sub: "user-1", exp: 2_000 }, secret);
  it.each([
    ["valid before expiry", token, secret, 1_999, "user-1"],
    ["expired at exp", token, secret, 2_000, null],
    ["wrong secret", token, "x".repeat(40), 1_000, null],
    ["tampered body", token.replace(/^./, (c) => (c === "e" ? "f" : "e")), secret, 1_000, null],
    ["no signature", token.split(".")[0], secret, 1_000, null],
    ["missing", undefined, secret, 1_000, null],
  ])("%s", (_name, t, s, now, expected) => {
    expect(verifySession(t, s, now)?.sub ?? null).toBe(expected);
  });
});

describe("passwords", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("Correct horse", hash)).toBe(false);
    expect(await verifyPassword("x", null)).toBe(false);
  });
});
