import { describe, expect, it } from "vitest";
import { safeReturnPath, signInUrl } from "./guards.server.ts";

describe("safeReturnPath", () => {
  it.each([
    ["/datasets?x=1#top", "/datasets?x=1#top"],
    ["/", "/"],
    ["//evil.example/x", "/home"],
    ["/\\evil.example", "/home"],
    ["https://evil.example/", "/home"],
    ["javascript:alert(1)", "/home"],
    ["datasets", "/home"],
    ["", "/home"],
    [null, "/home"],
  ])("%s → %s", (input, expected) => {
    expect(safeReturnPath(input, "/home")).toBe(expected);
  });
});

describe("signInUrl", () => {
  it("carries the path and query back", () => {
    expect(signInUrl(new Request("http://h/reports?id=3"))).toBe("/sign-in?redirectTo=%2Freports%3Fid%3D3");
    expect(signInUrl(new Request("http://h/"))).toBe("/sign-in");
  });
});
