import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "../../db/index.ts";
import { createLibraryStore, type Metadata, type NewVersion } from "./store.server.ts";
import { canSeeQuery } from "./visibility.ts";

const database = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-library-store-")));
let clock = Date.parse("2026-01-01T00:00:00Z");
// A clock that ticks a second per call, so "recently changed first" is deterministic.
const store = createLibraryStore(database.db, () => {
  clock += 1000;
  return new Date(clock);
});

const ana = { id: "u-ana", role: "analyst" as const };
const bea = { id: "u-bea", role: "analyst" as const };
const vic = { id: "u-vic", role: "viewer" as const };
const adm = { id: "u-adm", role: "admin" as const };
const reader = (u: { id: string; role: "admin" | "analyst" | "viewer" }) => ({ ...u, groupIds: store.groupIdsOf(u.id) });

const meta = (over: Partial<Metadata> = {}): Metadata => ({
  name: "Malaria test positivity",
  description: "Confirmed over tested",
  tags: ["malaria"],
  visibility: "private",
  groupId: null,
  ...over,
});
const v = (sql: string, over: Partial<NewVersion> = {}): NewVersion => ({
  sql,
  parameters: [],
  message: "",
  datasets: [],
  ...over,
});

beforeAll(() => {
  for (const u of [ana, bea, vic, adm]) {
    database.db
      .insert(schema.users)
      .values({ id: u.id, email: `${u.id}@x.org`, name: u.id.slice(2).toUpperCase(), role: u.role, passwordHash: "-" })
      .run();
  }
  database.db.insert(schema.groups).values({ id: "g-epi", name: "Epidemiologists" }).run();
  database.db.insert(schema.groupMembers).values({ groupId: "g-epi", userId: vic.id }).run();
});
afterAll(() => database.close());

describe("library store", () => {
  it("numbers versions 1..n and keeps each one as saved, with author, message and datasets", () => {
    const { id, version } = store.create(ana, meta(), v("SELECT 1", { message: "first", datasets: ["malaria"] }));
    expect(version).toBe(1);
    expect(store.addVersion(adm, id, v("SELECT 2", { message: "second" }))).toBe(2);
    expect(store.addVersion(ana, id, v("SELECT 3"))).toBe(3);
    const listed = store.versions(id);
    expect(listed.map((x) => [x.version, x.author.name, x.message])).toEqual([
      [3, "ANA", ""],
      [2, "ADM", "second"],
      [1, "ANA", "first"],
    ]);
    expect(store.version(id, 1)).toMatchObject({ sql: "SELECT 1", latestVersion: 3, certified: false });
    expect(store.version(id, 4)).toBeUndefined();
    expect(store.summary(id)).toMatchObject({ latestVersion: 3, datasets: [], tags: ["malaria"] });
  });

  it("refuses in the database to change or delete a saved version, or to skip a number; deleting the query removes them", () => {
    const { id } = store.create(ana, meta({ name: "Immutable" }), v("SELECT 'kept'"));
    const { sqlite } = database;
    expect(() => sqlite.prepare("UPDATE library_query_versions SET sql = 'SELECT 0' WHERE query_id = ?").run(id)).toThrow(
      /immutable/,
    );
    expect(() => sqlite.prepare("DELETE FROM library_query_versions WHERE query_id = ?").run(id)).toThrow(/immutable/);
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO library_query_versions (query_id, version, sql, parameters, datasets, author_id) VALUES (?, 5, 'x', '[]', '[]', ?)",
        )
        .run(id, ana.id),
    ).toThrow(/next number/);
    expect(store.version(id, 1)?.sql).toBe("SELECT 'kept'");
    store.delete(id);
    expect(store.get(id)).toBeUndefined();
    expect(sqlite.prepare("SELECT count(*) AS n FROM library_query_versions WHERE query_id = ?").get(id)).toEqual({ n: 0 });
  });

  it("applies visibility in search exactly as canSeeQuery decides it", () => {
    const priv = store.create(bea, meta({ name: "Bea private" }), v("SELECT 1"));
    const group = store.create(bea, meta({ name: "Bea for epi", visibility: "group", groupId: "g-epi" }), v("SELECT 1"));
    const work = store.create(bea, meta({ name: "Bea for all", visibility: "workspace" }), v("SELECT 1"));
    const ids = [priv.id, group.id, work.id];
    for (const user of [ana, bea, vic, adm]) {
      const found = store.search(reader(user)).map((q) => q.id);
      for (const id of ids) {
        const row = store.get(id);
        if (!row) throw new Error("missing");
        expect(found.includes(id), `${user.id} / ${row.name}`).toBe(canSeeQuery(reader(user), row));
      }
    }
    // The group query: the member sees it, another analyst does not; private: only the owner and admins.
    expect(store.search(reader(vic)).map((q) => q.name)).toContain("Bea for epi");
    expect(store.search(reader(ana)).map((q) => q.name)).not.toContain("Bea for epi");
    expect(store.search(reader(ana)).map((q) => q.name)).not.toContain("Bea private");
    expect(store.search(reader(adm)).map((q) => q.name)).toContain("Bea private");
  });

  it("searches by text, tag, dataset, author and certification; archived only on request", () => {
    const a = store.create(
      ana,
      meta({ name: "ANC coverage 100%", visibility: "workspace", tags: ["anc", "maternal"] }),
      v("SELECT 1", { datasets: ["anc"] }),
    );
    const b = store.create(bea, meta({ name: "Stockouts", visibility: "workspace", tags: ["supply"] }), v("SELECT 2"));
    const names = (filters: Parameters<typeof store.search>[1]) => store.search(reader(adm), filters).map((q) => q.name);
    expect(names({ q: "coverage" })).toEqual(["ANC coverage 100%"]);
    expect(names({ q: "100%" })).toEqual(["ANC coverage 100%"]);
    expect(names({ q: "%" })).toEqual(["ANC coverage 100%"]);
    expect(names({ tag: "MATERNAL" })).toEqual(["ANC coverage 100%"]);
    expect(names({ dataset: "anc" })).toEqual(["ANC coverage 100%"]);
    expect(names({ author: "bea" })).toContain("Stockouts");
    expect(names({ author: "bea" })).not.toContain("ANC coverage 100%");
    expect(names({ certified: true })).toEqual([]);
    store.setCertified(b.id, 1, adm);
    expect(names({ certified: true })).toEqual(["Stockouts"]);
    expect(store.certification(b.id)).toMatchObject({ version: 1, by: { id: adm.id } });
    expect(store.version(b.id, 1)?.certified).toBe(true);
    store.setArchived(a.id, true);
    expect(names({ q: "coverage" })).toEqual([]);
    expect(names({ q: "coverage", archived: true })).toEqual(["ANC coverage 100%"]);
    // Archived queries still resolve by version (linked cells keep working).
    expect(store.version(a.id, 1)?.sql).toBe("SELECT 1");
  });

  it("edits metadata and replaces the tags; a group query needs its group", () => {
    const { id } = store.create(ana, meta({ name: "Before" }), v("SELECT 1"));
    store.updateMetadata(id, meta({ name: "After", tags: ["x", "y"], visibility: "group", groupId: "g-epi" }));
    expect(store.summary(id)).toMatchObject({ name: "After", tags: ["x", "y"], visibility: "group", groupId: "g-epi" });
    store.updateMetadata(id, meta({ name: "After", visibility: "workspace", groupId: "g-epi" }));
    expect(store.summary(id)).toMatchObject({ visibility: "workspace", groupId: null });
  });
});
