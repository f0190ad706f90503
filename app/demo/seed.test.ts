/** The demo workspace is built through the real connector → harmonize → publish path, once. */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { serverKeyPath } from "../dhis2/server-key.server.ts";
import { SEALED } from "../dhis2/sources.server.ts";
import { demoDatasets, seedDemoWorkspace } from "./seed.server.ts";

function workspace() {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "harmony-demo-")), "data");
  const database = openDatabase(dataDir);
  const catalog = createCatalog(database.db, path.join(dataDir, "datasets"));
  return { services: { catalog, database, config: { dataDir } }, database, catalog, dataDir };
}

describe("seedDemoWorkspace", () => {
  it("builds the Sierra Leone hierarchy and every demo dataset, then does nothing the second time", async () => {
    const { services, catalog, database, dataDir } = workspace();
    const lines: string[] = [];
    const first = await seedDemoWorkspace(services, (l) => lines.push(l));
    expect(first.failed).toEqual([]);
    expect(first.published.sort()).toEqual(
      demoDatasets()
        .map((d) => d.slug)
        .sort(),
    );

    const hierarchy = catalog.hierarchy();
    const perLevel = [1, 2, 3, 4].map((l) => hierarchy.filter((h) => h.level === l).length);
    expect(perLevel.slice(0, 3)).toEqual([1, 13, 152]);
    expect(perLevel[3]).toBeGreaterThan(1000);
    expect(hierarchy.find((h) => h.level === 2)?.level_name).toBe("District");
    // District boundaries for maps come from the fixtures' district GeoJSON; Western Area has none there.
    const withBoundary = hierarchy.filter((h) => h.level === 2 && h.geometry).map((h) => h.name);
    expect(withBoundary).toHaveLength(12);
    expect(withBoundary).not.toContain("Western Area");

    for (const demo of demoDatasets()) {
      const dataset = catalog.bySlug(demo.slug)!;
      expect(dataset.currentVersion, demo.slug).toBe(1);
      const [version] = catalog.versions(dataset.id);
      expect(version.rows, demo.slug).toBeGreaterThan(0);
    }
    // The facility dataset holds the recorded analytics rows of the facilities the hierarchy knows.
    const facilities = catalog.versions(catalog.bySlug("demo_anc_facilities")!.id)[0];
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    await conn.run(`ATTACH '${path.join(catalog.datasetsDir, facilities.fileName)}' AS d (READ_ONLY)`);
    const [row] = (await (
      await conn.runAndReadAll(
        "SELECT count(DISTINCT location_id)::INT AS places, min(l.level)::INT AS level, string_agg(DISTINCT f.name, ' | ' ORDER BY f.name) AS names FROM d.observations o JOIN d.locations l USING (location_id) JOIN d.fields f USING (field_id)",
      )
    ).getRowObjectsJson()) as { places: number; level: number; names: string }[];
    conn.closeSync();
    instance.closeSync();
    expect(row.level).toBe(4);
    expect(row.places).toBeGreaterThan(900);
    expect(row.names).toBe("ANC 1st visit | ANC 2nd visit");

    // Sources are stored like any DHIS2 source: secret replaced, credentials sealed with a 0600 server key.
    const sources = database.db.select().from(schema.sources).all();
    expect(sources).toHaveLength(4);
    expect(JSON.stringify(sources.map((s) => s.config))).not.toContain(`"password":"district"`);
    expect(JSON.stringify(sources.map((s) => s.config))).toContain(SEALED);
    expect(sources.every((s) => s.sealedCredentials?.startsWith("v1."))).toBe(true);
    expect(statSync(serverKeyPath(dataDir)).mode & 0o777).toBe(0o600);

    const second = await seedDemoWorkspace(services, () => {});
    expect(second.skipped).toBe("demo workspace already built");
    expect(catalog.bySlug("demo_anc_facilities")!.currentVersion).toBe(1);
    expect(database.db.select().from(schema.runs).all()).toHaveLength(4);
    database.close();
  });

  it("skips with a clear message when the fixtures are missing", async () => {
    const { services, catalog, database } = workspace();
    const lines: string[] = [];
    const result = await seedDemoWorkspace(services, (l) => lines.push(l), { fixturesDir: "/nonexistent/fixtures" });
    expect(result.skipped).toMatch(/fixtures are missing at \/nonexistent\/fixtures/);
    expect(lines).toEqual([result.skipped]);
    expect(catalog.listDatasets()).toEqual([]);
    database.close();
  });
});
