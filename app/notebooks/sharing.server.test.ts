import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "../../db/index.ts";
import { createNotebookSharing, SharingError } from "./sharing.server.ts";
import { createNotebookStore } from "./store.server.ts";

const database = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-notebook-sharing-")));
const notebooks = createNotebookStore(database.db);
/** Records which sockets would be closed, and with which code (the real server is exercised by the e2e test). */
const closed: [string, string | undefined, number | undefined][] = [];
const sharing = createNotebookSharing(database.db, notebooks, {
  closeUserSockets(userId, notebookId, code) {
    closed.push([userId, notebookId, code]);
    return 1;
  },
});

const ana = { id: "u-ana", role: "analyst" as const };
const bea = { id: "u-bea", role: "analyst" as const };
const vic = { id: "u-vic", role: "viewer" as const };
const gus = { id: "u-gus", role: "analyst" as const };
let notebookId = "";

beforeAll(() => {
  for (const u of [ana, bea, vic, gus]) {
    database.db
      .insert(schema.users)
      .values({ id: u.id, email: `${u.id.slice(2)}@x.org`, name: u.id.slice(2).toUpperCase(), role: u.role, passwordHash: "-" })
      .run();
  }
  database.db.insert(schema.groups).values({ id: "g-epi", name: "Epidemiologists" }).run();
  database.db.insert(schema.groupMembers).values({ groupId: "g-epi", userId: gus.id }).run();
  notebookId = notebooks.create(ana, "Malaria").id;
});
afterAll(() => database.close());

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SharingError) return error.code;
    throw error;
  }
  return "no error";
};

describe("notebook sharing", () => {
  it("adds users by email and groups, lists them, and gives them their roles", () => {
    sharing.shareWithUser(notebookId, "  BEA@x.org ", "editor");
    sharing.shareWithUser(notebookId, "vic@x.org", "viewer");
    sharing.shareWithGroup(notebookId, "g-epi", "viewer");
    expect(sharing.members(notebookId).map((m) => [m.kind, m.name, m.role])).toEqual([
      ["user", "BEA", "editor"],
      ["user", "VIC", "viewer"],
      ["group", "Epidemiologists", "viewer"],
    ]);
    expect(notebooks.roleOf(bea, notebookId)).toBe("editor");
    expect(notebooks.roleOf(gus, notebookId)).toBe("viewer");
    expect(sharing.groups()).toEqual([{ id: "g-epi", name: "Epidemiologists" }]);
    // Sharing again replaces the role, never adds a second row.
    sharing.shareWithGroup(notebookId, "g-epi", "editor");
    expect(sharing.members(notebookId).filter((m) => m.kind === "group")).toHaveLength(1);
    expect(notebooks.roleOf(gus, notebookId)).toBe("editor");
  });

  it("refuses unknown people and groups, the owner, and editing rights for viewer accounts", () => {
    expect(codeOf(() => sharing.shareWithUser(notebookId, "nobody@x.org", "viewer"))).toBe("unknown-user");
    expect(codeOf(() => sharing.shareWithGroup(notebookId, "g-none", "viewer"))).toBe("unknown-group");
    expect(codeOf(() => sharing.shareWithUser(notebookId, "ana@x.org", "editor"))).toBe("owner");
    expect(codeOf(() => sharing.shareWithUser(notebookId, "vic@x.org", "editor"))).toBe("viewer-account");
    const vicRow = sharing.members(notebookId).find((m) => m.principalId === vic.id);
    expect(codeOf(() => sharing.setRole(notebookId, vicRow?.id ?? "", "editor"))).toBe("viewer-account");
    expect(codeOf(() => sharing.remove(notebookId, "no-such-row"))).toBe("unknown-member");
  });

  it("lowering to viewer reconnects the person's sockets; removing disconnects them for good", () => {
    closed.length = 0;
    const beaRow = sharing.members(notebookId).find((m) => m.principalId === bea.id);
    sharing.setRole(notebookId, beaRow?.id ?? "", "viewer");
    expect(notebooks.roleOf(bea, notebookId)).toBe("viewer");
    expect(closed).toEqual([[bea.id, notebookId, 4000]]);

    closed.length = 0;
    sharing.remove(notebookId, beaRow?.id ?? "");
    expect(notebooks.roleOf(bea, notebookId)).toBeNull();
    expect(closed).toEqual([[bea.id, notebookId, 4403]]);

    // A group's removal reaches its members; raising someone's role closes nothing.
    closed.length = 0;
    const groupRow = sharing.members(notebookId).find((m) => m.kind === "group");
    sharing.remove(notebookId, groupRow?.id ?? "");
    expect(closed).toEqual([[gus.id, notebookId, 4403]]);
    closed.length = 0;
    sharing.shareWithUser(notebookId, "bea@x.org", "editor");
    expect(closed).toEqual([]);
  });
});
