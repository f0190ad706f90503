import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "../../db/index.ts";
import { type Actor, cleanTitle, createNotebookStore } from "./store.server.ts";

const database = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-notebook-store-")));
let clock = Date.parse("2026-01-01T00:00:00Z");
// A clock that ticks a second per call, so "most recently changed first" is deterministic.
const store = createNotebookStore(database.db, () => {
  clock += 1000;
  return new Date(clock);
});

const ana = { id: "u-ana", role: "analyst" as const };
const bea = { id: "u-bea", role: "analyst" as const };
const vic = { id: "u-vic", role: "viewer" as const };
const gus = { id: "u-gus", role: "viewer" as const };
const adm = { id: "u-adm", role: "admin" as const };

beforeAll(() => {
  for (const u of [ana, bea, vic, gus, adm]) {
    database.db
      .insert(schema.users)
      .values({ id: u.id, email: `${u.id}@x.org`, name: u.id.slice(2).toUpperCase(), role: u.role, passwordHash: "-" })
      .run();
  }
  database.db.insert(schema.groups).values({ id: "g-epi", name: "Epidemiologists" }).run();
  database.db.insert(schema.groupMembers).values({ groupId: "g-epi", userId: gus.id }).run();
});
afterAll(() => database.close());

describe("the notebook store", () => {
  it("lists what each user may open, most recently changed first, with search and owner filters", () => {
    const malaria = store.create(ana, "Malaria 2024 trends");
    const measles = store.create(ana, "Measles outbreak 50%_check");
    const beas = store.create(bea, "Bea's malaria notes");
    store.setMember(beas.id, ana.id, "viewer");
    store.setMember(malaria.id, vic.id, "viewer");
    database.db
      .insert(schema.notebookMembers)
      .values({ id: "m-g", notebookId: measles.id, groupId: "g-epi", role: "editor" })
      .run();

    const titles = (actor: Actor, options = {}) => store.list(actor, options).map((n) => n.title);
    expect(titles(ana)).toEqual(["Bea's malaria notes", "Measles outbreak 50%_check", "Malaria 2024 trends"]);
    store.touch(malaria.id);
    expect(titles(ana)[0]).toBe("Malaria 2024 trends");
    expect(titles(ana, { owner: "mine" })).toEqual(["Malaria 2024 trends", "Measles outbreak 50%_check"]);
    expect(titles(ana, { owner: "shared" })).toEqual(["Bea's malaria notes"]);
    expect(titles(ana, { search: "MALARIA" })).toEqual(["Malaria 2024 trends", "Bea's malaria notes"]);
    // LIKE wildcards typed by the user match literally.
    expect(titles(ana, { search: "50%_" })).toEqual(["Measles outbreak 50%_check"]);
    expect(titles(ana, { search: "%" })).toEqual(["Measles outbreak 50%_check"]);
    expect(titles(vic)).toEqual(["Malaria 2024 trends"]);
    expect(titles(gus)).toEqual(["Measles outbreak 50%_check"]);
    expect(titles(adm)).toHaveLength(3);
    expect(titles(adm, { owner: "mine" })).toEqual([]);
    expect(store.list(ana)[0].ownerName).toBe("ANA");
  });

  it("resolves roles: owner, admin, editor (directly or by group), viewer, none", () => {
    const nb = store.create(ana, "Roles");
    store.setMember(nb.id, bea.id, "editor");
    store.setMember(nb.id, vic.id, "viewer");
    database.db.insert(schema.notebookMembers).values({ id: "m-g2", notebookId: nb.id, groupId: "g-epi", role: "editor" }).run();
    expect(store.roleOf(ana, nb.id)).toBe("owner");
    expect(store.roleOf(adm, nb.id)).toBe("admin");
    expect(store.roleOf(bea, nb.id)).toBe("editor");
    expect(store.roleOf(gus, nb.id)).toBe("editor");
    expect(store.roleOf(vic, nb.id)).toBe("viewer");
    expect(store.roleOf(vic, "missing")).toBeNull();
    store.setMember(nb.id, vic.id, "editor"); // replaces, never two rows
    expect(store.roleOf(vic, nb.id)).toBe("editor");
    expect(store.participants(nb.id).sort()).toEqual([ana.id, bea.id, gus.id, vic.id].sort());
    const other = store.create(bea, "Not shared");
    expect(store.roleOf(vic, other.id)).toBeNull();
  });

  it("renames and archives; archived notebooks leave the default list", () => {
    const nb = store.create(bea, "Draft");
    store.rename(nb.id, "Final");
    expect(store.get(nb.id)?.title).toBe("Final");
    store.setArchived(nb.id, true);
    expect(store.list(bea).map((n) => n.id)).not.toContain(nb.id);
    expect(store.list(bea, { archived: true }).map((n) => n.id)).toEqual([nb.id]);
    store.setArchived(nb.id, false);
    expect(store.get(nb.id)?.archivedAt).toBeNull();
  });

  it("cleans titles", () => {
    expect(cleanTitle("  Malaria \n  review ")).toEqual({ title: "Malaria review" });
    expect(cleanTitle("   ")).toEqual({ error: "empty" });
    expect(cleanTitle("x".repeat(121))).toEqual({ error: "too-long" });
  });
});
