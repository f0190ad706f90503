import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { sliceFilePath } from "../../connectors/publish/index.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { createAccessControl } from "./access.server.ts";
import { readableFile } from "./dataset-files.server.ts";
import { SLICE_PIN_MS, sweepSlices } from "./slice-sweeper.server.ts";

// The sweeper decides from names alone, so the slice files here are empty stand-ins (the real ones: tests/integration).
const dataDir = mkdtempSync(path.join(tmpdir(), "harmony-sweeper-"));
const database = openDatabase(dataDir);
const catalog = createCatalog(database.db, path.join(dataDir, "datasets"));
const services = { database, catalog };
const grants = createAccessControl(database.db).grants;
const dataset = { id: "d-mal", slug: "malaria", ownerId: null };
const users = { ana: "u-ana", bea: "u-bea", cy: "u-cy" };
const versionFile = (v: number) => path.join(catalog.datasetsDir, "malaria", `v${v}.duckdb`);
const slice = (v: number, paths: string[]) => sliceFilePath(versionFile(v), paths);
const names = () => readdirSync(path.join(catalog.datasetsDir, "malaria", "slices")).sort();
const touch = (file: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "");
};

beforeAll(() => {
  for (const [name, id] of Object.entries(users)) {
    database.db
      .insert(schema.users)
      .values({ id, email: `${name}@x.org`, name, role: "analyst", passwordHash: "-" })
      .run();
  }
  database.db
    .insert(schema.datasets)
    .values({ ...dataset, title: "Malaria", sourceKind: "csv", currentVersion: 2 })
    .run();
  for (const version of [1, 2]) {
    database.db
      .insert(schema.datasetVersions)
      .values({
        id: `v${version}`,
        datasetId: dataset.id,
        version,
        fileName: `malaria/v${version}.duckdb`,
        sizeBytes: 0,
        rows: 0,
        fields: 0,
        locations: 0,
      })
      .run();
  }
  grants.add({ datasetId: dataset.id, grantee: { userId: users.ana }, locationPaths: ["/SL/BO"], createdBy: null });
  grants.add({ datasetId: dataset.id, grantee: { userId: users.bea }, locationPaths: ["/SL/KE"], createdBy: null });
  database.db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, users.bea)).run();
});
afterAll(() => database.close());
afterEach(() => vi.useRealTimers());

describe("sweeping slice files", () => {
  it("keeps the current version's slices of live restrictions, deletes the rest, leaves builds in progress alone", async () => {
    const live = slice(2, ["/SL/BO"]);
    const stale = [slice(1, ["/SL/BO"]), slice(2, ["/SL/KE"]), slice(2, ["/SL/WA"])];
    for (const file of [live, ...stale]) touch(file);
    touch(path.join(path.dirname(live), ".tmp-0123.duckdb"));
    const { removed, deferred } = await sweepSlices(services);
    expect(removed.sort()).toEqual(stale.sort());
    expect(deferred).toBe(0);
    expect(names()).toEqual([".tmp-0123.duckdb", path.basename(live)].sort());
  });

  it("keeps a slice just handed to a request, and deletes it once the pin is over", async () => {
    const grant = grants.add({
      datasetId: dataset.id,
      grantee: { userId: users.cy },
      locationPaths: ["/SL/WA"],
      createdBy: null,
    });
    const file = slice(2, ["/SL/WA"]);
    touch(file);
    const served = await readableFile(services, { id: users.cy, role: "analyst" }, dataset, { fileName: "malaria/v2.duckdb" });
    expect(served).toMatchObject({ allowed: true, filePath: file });
    grants.remove(dataset.id, grant.id);

    expect(await sweepSlices(services)).toEqual({ removed: [], deferred: 1 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + SLICE_PIN_MS + 1);
    expect(await sweepSlices(services)).toEqual({ removed: [file], deferred: 0 });
    expect(names()).not.toContain(path.basename(file));
  });
});
