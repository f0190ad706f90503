import { describe, expect, it } from "vitest";
import { mayReplaceHierarchy } from "./hierarchy-policy.ts";

describe("replacing the location hierarchy", () => {
  it("is for admins always, analysts only while there is none, viewers never", () => {
    expect(mayReplaceHierarchy("admin", 0)).toBe(true);
    expect(mayReplaceHierarchy("admin", 120)).toBe(true);
    expect(mayReplaceHierarchy("analyst", 0)).toBe(true);
    expect(mayReplaceHierarchy("analyst", 1)).toBe(false);
    expect(mayReplaceHierarchy("viewer", 0)).toBe(false);
    expect(mayReplaceHierarchy("viewer", 5)).toBe(false);
  });
});
