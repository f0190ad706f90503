import { describe, expect, it } from "vitest";
import { isCrossSite } from "./csrf.server.ts";

describe("isCrossSite", () => {
  it("lets reads through whatever their origin", () => {
    expect(isCrossSite("GET", { origin: "https://evil.example" }, "harmony:3000")).toBe(false);
  });
  it("refuses writes from another origin, a null origin or a cross-site fetch", () => {
    expect(isCrossSite("POST", { origin: "https://evil.example" }, "harmony:3000")).toBe(true);
    expect(isCrossSite("POST", { origin: "http://harmony:3001" }, "harmony:3000")).toBe(true);
    expect(isCrossSite("DELETE", { origin: "null" }, "harmony:3000")).toBe(true);
    expect(isCrossSite("POST", { "sec-fetch-site": "cross-site" }, "harmony:3000")).toBe(true);
    expect(isCrossSite("POST", { origin: "not a url" }, "harmony:3000")).toBe(true);
  });
  it("accepts same-origin writes and non-browser clients without Origin", () => {
    expect(isCrossSite("POST", { origin: "http://harmony:3000" }, "harmony:3000")).toBe(false);
    expect(isCrossSite("POST", { "sec-fetch-site": "same-origin" }, "harmony:3000")).toBe(false);
    expect(isCrossSite("POST", {}, "harmony:3000")).toBe(false);
  });
});
