import { describe, expect, it } from "vitest";
import { LoginLimiter } from "./login-limiter.server.ts";

function limiter() {
  let now = 1_000_000;
  const l = new LoginLimiter({ maxPerAccount: 3, maxPerIp: 5, windowMs: 60_000 }, () => now);
  return {
    l,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("LoginLimiter", () => {
  it("blocks an account after its failures, with the time until the oldest one leaves the window", () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) {
      expect(l.check("a@x", "1.1.1.1").allowed).toBe(true);
      l.recordFailure("a@x", "1.1.1.1");
      advance(10_000);
    }
    const check = l.check("a@x", "2.2.2.2");
    expect(check).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(l.check("b@x", "2.2.2.2").allowed).toBe(true);
    advance(30_001);
    expect(l.check("a@x", "2.2.2.2").allowed).toBe(true);
  });
  it("blocks an address that tries many accounts", () => {
    const { l } = limiter();
    for (let i = 0; i < 5; i++) l.recordFailure(`user${i}@x`, "9.9.9.9");
    expect(l.check("fresh@x", "9.9.9.9").allowed).toBe(false);
    expect(l.check("fresh@x", "8.8.8.8").allowed).toBe(true);
  });
  it("clears an account's failures on success but keeps the address's", () => {
    const { l } = limiter();
    for (let i = 0; i < 2; i++) l.recordFailure("a@x", "1.1.1.1");
    l.recordSuccess("a@x");
    l.recordFailure("a@x", "1.1.1.1");
    expect(l.check("a@x", "3.3.3.3").allowed).toBe(true);
  });
});
