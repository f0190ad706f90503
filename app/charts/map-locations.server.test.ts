import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { type Database_, openDatabase } from "../../db/index.ts";
import { sierraLeoneHierarchy } from "../../tests/helpers/sierra-leone.ts";
import { attachDemoDistrictGeometry } from "./map-demo-geometry.server.ts";
import { findLocations, GEOMETRY_LIMITS, geometryCollection, prepareMapChartFromDb } from "./map-locations.server.ts";

const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../../shared/fixtures");

describe("boundaries from SQLite", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-map-db-"));
  let database: Database_;
  const hierarchy = sierraLeoneHierarchy();
  const district = (name: string) => hierarchy.find((l) => l.level === 2 && l.name === name)?.location_id ?? "";

  beforeAll(() => {
    database = openDatabase(dir);
    createCatalog(database.db, path.join(dir, "datasets")).replaceHierarchy(hierarchy);
    expect(attachDemoDistrictGeometry(database.db, fixtures)).toBe(
      "  district boundaries: 12 matched (12 stored); no boundary for Western Area; unused in the file: Karene District, Western Area Urban, Eastern Area Rural",
    );
    // Idempotent: a second start stores nothing and replaces nothing.
    expect(attachDemoDistrictGeometry(database.db, fixtures)).toMatch(/12 matched \(0 stored\)/);
  });
  afterAll(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("finds locations by id, by normalised name at any level, and by level", () => {
    expect(findLocations(database.db, { ids: [district("Bo"), "nope"] }).map((l) => l.name)).toEqual(["Bo"]);
    const byName = findLocations(database.db, { names: ["BO DISTRICT", "kenema"] }).map((l) => `${l.name}@${l.level}`);
    expect(byName).toEqual(expect.arrayContaining(["Bo@2", "Kenema@2"]));
    expect(findLocations(database.db, { level: 2 })).toHaveLength(13);
  });

  test("the collection lists what has no boundary; too many keys are refused", () => {
    const answer = geometryCollection(database.db, { level: 2 });
    expect(answer.ok && answer.collection.features.length).toBe(12);
    expect(answer.ok && answer.collection.missing).toEqual([{ location_id: district("Western Area"), name: "Western Area" }]);
    const tooMany = geometryCollection(database.db, {
      ids: Array.from({ length: GEOMETRY_LIMITS.keysPerRequest + 1 }, (_, i) => `x${i}`),
    });
    expect(tooMany).toMatchObject({ ok: false, status: 400 });
  });

  test("a report's map: rows by district name joined in SQLite, Western Area named as missing; chiefdoms have none", () => {
    const rows = hierarchy.filter((l) => l.level === 2).map((l, i) => ({ district: l.name, cases: i }));
    const chart = prepareMapChartFromDb(database.db, { mark: "map", x: { field: "district" }, y: { field: "cases" } }, rows);
    expect("spec" in chart && chart.data).toHaveLength(12);
    expect("spec" in chart && chart.notice).toBe("1 of 13 locations have no boundaries and are not drawn: Western Area");
    const chiefdoms = hierarchy.filter((l) => l.level === 3).map((l) => ({ location_id: l.location_id, cases: 1 }));
    const none = prepareMapChartFromDb(database.db, { mark: "map", map: { location: "location_id", value: "cases" } }, chiefdoms);
    expect("problem" in none && none.problem).toMatch(
      new RegExp(`^No boundaries for these locations \\(${chiefdoms.length} of ${chiefdoms.length} have none\\): \\w`),
    );
  });
});
