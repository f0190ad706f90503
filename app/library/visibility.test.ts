import { describe, expect, it } from "vitest";
import { canManageQuery, canSeeQuery, mayCertify, mayCreateQueries } from "./visibility.ts";

const owner = { id: "o", role: "analyst" as const, groupIds: [] };
const member = { id: "m", role: "viewer" as const, groupIds: ["g1"] };
const other = { id: "x", role: "analyst" as const, groupIds: ["g2"] };
const admin = { id: "a", role: "admin" as const, groupIds: [] };

describe("library visibility", () => {
  it("private: the owner and admins only", () => {
    const q = { ownerId: "o", visibility: "private" as const, groupId: null };
    expect([owner, member, other, admin].map((r) => canSeeQuery(r, q))).toEqual([true, false, false, true]);
  });
  it("group: members of that group, the owner and admins; a query whose group is gone falls back to private", () => {
    const q = { ownerId: "o", visibility: "group" as const, groupId: "g1" };
    expect([owner, member, other, admin].map((r) => canSeeQuery(r, q))).toEqual([true, true, false, true]);
    const orphan = { ...q, groupId: null };
    expect([owner, member, other, admin].map((r) => canSeeQuery(r, orphan))).toEqual([true, false, false, true]);
  });
  it("workspace: every signed-in user", () => {
    const q = { ownerId: "o", visibility: "workspace" as const, groupId: null };
    expect([owner, member, other, admin].every((r) => canSeeQuery(r, q))).toBe(true);
  });
  it("only owners and admins manage; analysts and admins create; only admins certify", () => {
    expect([owner, member, other, admin].map((r) => canManageQuery(r, { ownerId: "o" }))).toEqual([true, false, false, true]);
    expect(mayCreateQueries("viewer")).toBe(false);
    expect(mayCreateQueries("analyst")).toBe(true);
    expect(mayCertify("analyst")).toBe(false);
    expect(mayCertify("admin")).toBe(true);
  });
});
