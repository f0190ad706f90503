import { describe, expect, it } from "vitest";
import { decideDatasetAccess, normalizeLocationPaths } from "./policy.ts";

const analyst = { id: "u-ana", role: "analyst" as const };
const viewer = { id: "u-vic", role: "viewer" as const };
const admin = { id: "u-adm", role: "admin" as const };
const dataset = { ownerId: "u-own" };

describe("decideDatasetAccess", () => {
  it("denies by default: no grant, no access, whatever the role", () => {
    expect(decideDatasetAccess(analyst, dataset, [])).toEqual({ allowed: false });
    expect(decideDatasetAccess(viewer, dataset, [])).toEqual({ allowed: false });
    expect(decideDatasetAccess(analyst, { ownerId: null }, [])).toEqual({ allowed: false });
  });

  it("lets admins and the dataset's owner read every row without a grant", () => {
    expect(decideDatasetAccess(admin, dataset, [])).toEqual({ allowed: true, locationPaths: null });
    expect(decideDatasetAccess({ id: "u-own", role: "viewer" }, dataset, [])).toEqual({ allowed: true, locationPaths: null });
    // Even a restricted grant does not narrow an admin.
    expect(decideDatasetAccess(admin, dataset, [{ locationPaths: ["/SL/BO"] }])).toEqual({ allowed: true, locationPaths: null });
  });

  it("unions restrictions of several grants (direct and groups'), a grant without restriction wins", () => {
    expect(decideDatasetAccess(viewer, dataset, [{ locationPaths: ["/SL/BO"] }])).toEqual({
      allowed: true,
      locationPaths: ["/SL/BO"],
    });
    expect(
      decideDatasetAccess(viewer, dataset, [{ locationPaths: ["/SL/KE", "/SL/BO/BADJIA"] }, { locationPaths: ["/SL/BO"] }]),
    ).toEqual({ allowed: true, locationPaths: ["/SL/BO", "/SL/KE"] });
    expect(decideDatasetAccess(viewer, dataset, [{ locationPaths: ["/SL/BO"] }, { locationPaths: null }])).toEqual({
      allowed: true,
      locationPaths: null,
    });
  });
});

describe("normalizeLocationPaths", () => {
  it("gives one restriction one spelling", () => {
    expect(normalizeLocationPaths(["/SL/KE/", "/SL/BO", "/SL/BO/X", "/SL/BO"])).toEqual(["/SL/BO", "/SL/KE"]);
    // A sibling with a common prefix is not inside: /SL/BO22 is not under /SL/BO.
    expect(normalizeLocationPaths(["/SL/BO", "/SL/BO22"])).toEqual(["/SL/BO", "/SL/BO22"]);
  });
  it("refuses what is not a path, naming it", () => {
    expect(() => normalizeLocationPaths(["SL/BO"])).toThrow("location path 'SL/BO'");
    expect(() => normalizeLocationPaths(["/SL//BO"])).toThrow("'/SL//BO'");
  });
});
