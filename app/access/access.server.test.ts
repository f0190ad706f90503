import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "../../db/index.ts";
import { createAccessControl } from "./access.server.ts";
import { GroupError } from "./groups.server.ts";
import { grantToWorkspace, WORKSPACE_GROUP } from "./workspace-group.server.ts";

const database = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-access-")));
const access = createAccessControl(database.db);
const ana = { id: "u-ana", role: "analyst" as const };
const vic = { id: "u-vic", role: "viewer" as const };
const own = { id: "u-own", role: "analyst" as const };
const adm = { id: "u-adm", role: "admin" as const };
const malaria = { id: "d-mal", ownerId: own.id };

beforeAll(() => {
  for (const u of [ana, vic, own, adm]) {
    database.db
      .insert(schema.users)
      .values({ id: u.id, email: `${u.id.slice(2)}@x.org`, name: u.id, role: u.role, passwordHash: "-" })
      .run();
  }
  database.db
    .insert(schema.datasets)
    .values({ id: malaria.id, slug: "malaria", title: "Malaria", sourceKind: "csv", ownerId: own.id })
    .run();
});
afterAll(() => database.close());

describe("groups", () => {
  it("creates, renames and refuses duplicate or empty names", () => {
    const g = access.groups.create("  District   officers ");
    expect(g.name).toBe("District officers");
    expect(() => access.groups.create("District officers")).toThrow(GroupError);
    expect(() => access.groups.create("   ")).toThrow(/must be 1–100 characters/);
    expect(access.groups.rename(g.id, "Bo officers")).toEqual({ from: "District officers", to: "Bo officers" });
    expect(access.groups.byId(g.id)?.name).toBe("Bo officers");
    expect(() => access.groups.rename("nope", "x")).toThrow(/does not exist/);
  });

  it("adds and removes members once", () => {
    const g = access.groups.byName("Bo officers")!;
    expect(access.groups.addMember(g.id, vic.id)).toBe(true);
    expect(access.groups.addMember(g.id, vic.id)).toBe(false);
    expect(access.groups.members(g.id).map((m) => m.id)).toEqual([vic.id]);
    expect(access.groups.list().find((x) => x.id === g.id)?.members).toBe(1);
    expect(access.groups.groupIdsOf(vic.id)).toEqual([g.id]);
    expect(access.groups.removeMember(g.id, vic.id)).toBe(true);
    expect(access.groups.removeMember(g.id, vic.id)).toBe(false);
  });
});

describe("datasetAccess over the database", () => {
  it("denies without a grant, and allows the owner and admins", () => {
    expect(access.datasetAccess(ana, malaria)).toEqual({ allowed: false });
    expect(access.datasetAccess(vic, malaria)).toEqual({ allowed: false });
    expect(access.datasetAccess(own, malaria)).toEqual({ allowed: true, locationPaths: null });
    expect(access.datasetAccess(adm, malaria)).toEqual({ allowed: true, locationPaths: null });
    expect(access.mayManageGrants(own, malaria)).toBe(true);
    expect(access.mayManageGrants(ana, malaria)).toBe(false);
  });

  it("follows direct and group grants, their union, and their removal at once", () => {
    const direct = access.grants.add({
      datasetId: malaria.id,
      grantee: { userId: ana.id },
      locationPaths: ["/SL/BO/"],
      createdBy: own.id,
    });
    expect(direct.locationPaths).toEqual(["/SL/BO"]);
    expect(access.datasetAccess(ana, malaria)).toEqual({ allowed: true, locationPaths: ["/SL/BO"] });
    // A group's grant reaches its members only.
    const g = access.groups.create("Kenema team");
    const viaGroup = access.grants.add({
      datasetId: malaria.id,
      grantee: { groupId: g.id },
      locationPaths: ["/SL/KE"],
      createdBy: adm.id,
    });
    expect(access.datasetAccess(ana, malaria)).toEqual({ allowed: true, locationPaths: ["/SL/BO"] });
    access.groups.addMember(g.id, ana.id);
    expect(access.datasetAccess(ana, malaria)).toEqual({ allowed: true, locationPaths: ["/SL/BO", "/SL/KE"] });
    expect(access.datasetAccess(vic, malaria)).toEqual({ allowed: false });
    expect(access.grants.forDataset(malaria.id).map((x) => [x.kind, x.granteeLabel])).toEqual([
      ["user", "ana@x.org"],
      ["group", "Kenema team"],
    ]);
    // Removal is effective on the next decision; a grant of another dataset cannot be removed through this one.
    expect(access.grants.remove("d-other", direct.id)).toBeUndefined();
    expect(access.grants.remove(malaria.id, direct.id)?.id).toBe(direct.id);
    expect(access.datasetAccess(ana, malaria)).toEqual({ allowed: true, locationPaths: ["/SL/KE"] });
    access.groups.removeMember(g.id, ana.id);
    expect(access.datasetAccess(ana, malaria)).toEqual({ allowed: false });
    access.grants.remove(malaria.id, viaGroup.id);
  });

  it("refuses an empty restriction (it would be a grant of nothing)", () => {
    expect(() =>
      access.grants.add({ datasetId: malaria.id, grantee: { userId: ana.id }, locationPaths: [], createdBy: null }),
    ).toThrow(/at least one location/);
  });

  it("demo: the Workspace group holds every user and reads datasets that had no grant", () => {
    grantToWorkspace(database.db, ["malaria", "no-such-dataset"]);
    const group = access.groups.byName(WORKSPACE_GROUP)!;
    expect(access.groups.members(group.id)).toHaveLength(4);
    expect(access.datasetAccess(vic, malaria)).toEqual({ allowed: true, locationPaths: null });
    // Idempotent: a second start adds nothing.
    grantToWorkspace(database.db, ["malaria"]);
    expect(access.grants.forDataset(malaria.id)).toHaveLength(1);
  });
});
