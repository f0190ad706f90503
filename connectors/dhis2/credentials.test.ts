import { describe, expect, it } from "vitest";
import { decryptCredentials, encryptCredentials, redactAuth } from "./credentials.ts";

const KEY = "a-server-key-of-at-least-32-bytes-long!!";

describe("credentials at rest", () => {
  it("round-trips basic and token credentials, with a fresh IV each time", () => {
    const basic = { type: "basic" as const, username: "admin", password: "district" };
    const sealed = encryptCredentials(basic, KEY, "source-1");
    expect(sealed).not.toContain("district");
    expect(sealed).not.toBe(encryptCredentials(basic, KEY, "source-1"));
    expect(decryptCredentials(sealed, KEY, "source-1")).toEqual(basic);
    const token = { type: "token" as const, token: "d2pat_abc123" };
    expect(decryptCredentials(encryptCredentials(token, KEY), KEY)).toEqual(token);
  });

  it("refuses a wrong key, another source's context, and tampering", () => {
    const sealed = encryptCredentials({ type: "basic", username: "admin", password: "district" }, KEY, "source-1");
    expect(() => decryptCredentials(sealed, `${KEY}x`, "source-1")).toThrow(/could not be decrypted/);
    expect(() => decryptCredentials(sealed, KEY, "source-2")).toThrow(/could not be decrypted/);
    const parts = sealed.split(".");
    parts[3] = `${parts[3].slice(0, -2)}AA`;
    expect(() => decryptCredentials(parts.join("."), KEY, "source-1")).toThrow(/could not be decrypted/);
    expect(() => decryptCredentials("garbage", KEY)).toThrow(/not in a known format/);
    expect(() => encryptCredentials({ type: "token", token: "x" }, "short")).toThrow(/too short/);
  });

  it("redacts secrets for display", () => {
    expect(redactAuth({ type: "basic", username: "admin", password: "district" })).toEqual({ type: "basic", username: "admin" });
    expect(JSON.stringify(redactAuth({ type: "token", token: "d2pat_secret_token" }))).not.toContain("secret");
  });
});
