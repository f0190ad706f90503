/** Org-unit import from the stand-in, and sealed credentials of a saved source round-tripping only on the server. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { dhis2PipelineSpec } from "../../connectors/dhis2/pipeline.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { type Dhis2Standin, STANDIN_USER, startDhis2Standin } from "../../tests/dhis2-standin/server.ts";
import { importOrgUnits, importOrgUnitsForSource } from "./import-org-units.server.ts";
import { loadServerKey } from "./server-key.server.ts";
import { SEALED, saveDhis2Source, unsealSourceAuth, withSealedCredentials } from "./sources.server.ts";

let standin: Dhis2Standin;
beforeAll(async () => {
  standin = await startDhis2Standin();
});
afterAll(() => standin.close());

function workspace() {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "harmony-ou-")), "data");
  const database = openDatabase(dataDir);
  return { dataDir, database, catalog: createCatalog(database.db, path.join(dataDir, "datasets")) };
}
const auth = { type: "basic" as const, ...STANDIN_USER };

describe("importOrgUnits", () => {
  it("replaces the hierarchy with the org units, their level names, parents, codes and geometry", async () => {
    const { catalog, database } = workspace();
    const result = await importOrgUnits(catalog, { baseUrl: standin.url, auth, maxLevel: 3 });
    expect(result.levels).toEqual([
      { level: 1, name: "National", count: 1 },
      { level: 2, name: "District", count: 13 },
      { level: 3, name: "Chiefdom", count: 152 },
    ]);
    const rows = catalog.hierarchy();
    expect(rows).toHaveLength(166);
    const bo = rows.find((r) => r.location_id === "O6uvpzGd5pu")!;
    expect(bo).toMatchObject({
      name: "Bo",
      level: 2,
      level_name: "District",
      parent_id: "ImspTQPwCqd",
      path: "/ImspTQPwCqd/O6uvpzGd5pu",
    });
    // A subtree import replaces, rather than adds to, what was there.
    await importOrgUnits(catalog, { baseUrl: standin.url, auth, roots: ["O6uvpzGd5pu"], maxLevel: 3 });
    expect(catalog.hierarchy().every((r) => r.path.includes("O6uvpzGd5pu"))).toBe(true);
    database.close();
  });

  it("leaves the hierarchy alone when DHIS2 refuses the credentials", async () => {
    const { catalog, database } = workspace();
    await importOrgUnits(catalog, { baseUrl: standin.url, auth, maxLevel: 2 });
    await expect(importOrgUnits(catalog, { baseUrl: standin.url, auth: { ...auth, password: "wrong" } })).rejects.toThrow(
      /401|credentials|username/i,
    );
    expect(catalog.hierarchy()).toHaveLength(14);
    database.close();
  });
});

describe("sealed DHIS2 sources", () => {
  it("stores the spec without its secret, unseals it for a run, and imports org units from the saved source", async () => {
    const { catalog, database, dataDir } = workspace();
    const spec = dhis2PipelineSpec({
      dataset: { slug: "anc", title: "ANC" },
      config: {
        baseUrl: standin.url,
        auth,
        selection: { dataElements: ["fbfJHSPpUQD"], periods: ["2019"], orgUnits: { roots: ["ImspTQPwCqd"] } },
      },
      metadata: { dataElements: [{ id: "fbfJHSPpUQD", name: "ANC 1st visit" }], indicators: [], level: 1 },
    });
    const { sourceId } = saveDhis2Source({ db: database.db, catalog, dataDir }, spec, null);
    const stored = database.db.select().from(schema.sources).all()[0];
    expect(JSON.stringify(stored.config)).not.toContain(STANDIN_USER.password);
    expect(JSON.stringify(stored.config)).toContain(SEALED);
    expect(stored.sealedCredentials).not.toContain(STANDIN_USER.password);
    expect(unsealSourceAuth(database.db, dataDir, sourceId)).toEqual(auth);
    const forRun = withSealedCredentials(stored.config as never, database.db, dataDir, sourceId);
    expect(forRun.source.kind === "dhis2" && forRun.source.config.auth).toEqual(auth);
    // Another server key cannot open it.
    expect(() => unsealSourceAuth(database.db, path.join(dataDir, "elsewhere"), sourceId)).toThrow(/could not be decrypted/);
    expect(loadServerKey(dataDir)).toEqual(loadServerKey(dataDir));
    expect(() => saveDhis2Source({ db: database.db, catalog, dataDir }, spec, null)).toThrow(/already exists/);

    const imported = await importOrgUnitsForSource({ db: database.db, catalog, dataDir }, sourceId, { maxLevel: 2 });
    expect(imported.locations).toBe(14);
    database.close();
  });
});
