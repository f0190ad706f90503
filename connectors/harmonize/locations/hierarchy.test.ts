import { describe, expect, it } from "vitest";
import type { LocationRow, RawRecord } from "../../core/types.ts";
import { type Dhis2OrgUnit, hierarchyFromDhis2OrgUnits } from "./dhis2-org-units.ts";
import { fixtureJson, fixtureText, parseSimpleCsv } from "./fixtures.ts";
import { buildHierarchy, namePaths } from "./hierarchy.ts";
import { hierarchyFromLevelTable } from "./level-table.ts";

const byName = (rows: LocationRow[], name: string) => {
  const found = rows.filter((r) => r.name === name);
  expect(found, `exactly one location named ${name}`).toHaveLength(1);
  return found[0];
};

describe("hierarchyFromDhis2OrgUnits", () => {
  const levels = fixtureJson("dhis2-android-sdk/organisation_unit_levels.json") as { organisationUnitLevels: [] };

  it("builds the 166 Sierra Leone units of levels 1–3 with DHIS2 ids, paths and level names", () => {
    const units = fixtureJson("dhis2-aggregate-data-entry-app/organisationUnits_sierra_leone_levels1-3.json") as {
      organisationUnits: Dhis2OrgUnit[];
    };
    const { locations, issues } = hierarchyFromDhis2OrgUnits(units, levels);
    expect(issues).toEqual([]);
    expect(locations).toHaveLength(166);
    expect(locations.filter((l) => l.level === 2)).toHaveLength(13);
    expect(byName(locations, "Sierra Leone")).toMatchObject({
      level: 1,
      level_name: "National",
      parent_id: null,
      path: "/ImspTQPwCqd",
    });
    expect(byName(locations, "Bo")).toEqual({
      location_id: "O6uvpzGd5pu",
      code: null,
      name: "Bo",
      level: 2,
      level_name: "District",
      parent_id: "ImspTQPwCqd",
      path: "/ImspTQPwCqd/O6uvpzGd5pu",
      geometry: null,
    });
    expect(byName(locations, "Badjia")).toMatchObject({ level_name: "Chiefdom", parent_id: "O6uvpzGd5pu" });
    // Parents come before children, so a reader can build the tree in one pass.
    expect(locations.map((l) => l.level)).toEqual([...locations.map((l) => l.level)].sort((a, b) => a - b));
    expect(namePaths(locations).get("YuQRtpLP10I")).toEqual(["Sierra Leone", "Bo", "Badjia"]);
  });

  it("takes ids from the path in the gist API shape, which has none", () => {
    const gist = fixtureJson("dhis2-aggregate-data-entry-app/organisationUnits_gist_sierra_leone_levels1-3.json") as {
      organisationUnits: Dhis2OrgUnit[];
    };
    const { locations, issues } = hierarchyFromDhis2OrgUnits(gist, levels);
    expect(issues).toEqual([]);
    expect(locations).toHaveLength(166);
    expect(byName(locations, "Bo")).toMatchObject({ location_id: "O6uvpzGd5pu", level: 2, parent_id: "ImspTQPwCqd" });
  });

  it("keeps a subtree export's own paths, codes and GeoJSON geometry", () => {
    const units = fixtureJson("dhis2-android-sdk/organisation_units.json") as { organisationUnits: Dhis2OrgUnit[] };
    const { locations, issues } = hierarchyFromDhis2OrgUnits(units, levels);
    expect(issues).toEqual([]);
    const badjia = byName(locations, "Badjia");
    expect(badjia).toMatchObject({
      code: "OU_539",
      level: 3,
      parent_id: "O6uvpzGd5pu",
      path: "/ImspTQPwCqd/O6uvpzGd5pu/YuQRtpLP10I",
    });
    expect(JSON.parse(badjia.geometry as string)).toEqual({
      type: "Point",
      coordinates: [-11.618041992187502, 9.508486893003065],
    });
    expect(byName(locations, "Ngelehun CHC")).toMatchObject({
      code: "OU_559",
      level: 4,
      level_name: "Facility",
      parent_id: "YuQRtpLP10I",
      path: "/ImspTQPwCqd/O6uvpzGd5pu/YuQRtpLP10I/DiszpKrYNg8",
    });
  });

  it("turns the pre-2.32 featureType + coordinates string into GeoJSON", () => {
    const unit = fixtureJson("dhis2-android-sdk/organisation_unit_with_feature_type_and_coordinates.json") as Dhis2OrgUnit;
    const { locations } = hierarchyFromDhis2OrgUnits([unit]);
    expect(locations[0]).toMatchObject({ name: "Baomahun CHC", level: 4, level_name: "Level 4", parent_id: "npWGUj37qDe" });
    expect(JSON.parse(locations[0].geometry as string)).toEqual({ type: "Point", coordinates: [-11.6677, 8.4165] });
  });

  it("resolves parents listed after their children and generates ids for units that have none", () => {
    const units = fixtureJson("dhis2-core/metadata/ou_with_levels.json") as { organisationUnits: Dhis2OrgUnit[] };
    const { locations, issues } = hierarchyFromDhis2OrgUnits(units);
    expect(issues).toEqual([]);
    expect(locations.map((l) => [l.location_id, l.level, l.parent_id, l.path])).toEqual([
      ["inVD5SdytkT", 1, null, "/inVD5SdytkT"],
      ["orgunita.orgunitb", 2, "inVD5SdytkT", "/inVD5SdytkT/orgunita.orgunitb"],
      ["orgunita.orgunitc", 2, "inVD5SdytkT", "/inVD5SdytkT/orgunita.orgunitc"],
      ["orgunita.orgunitd", 2, "inVD5SdytkT", "/inVD5SdytkT/orgunita.orgunitd"],
    ]);
  });
});

describe("buildHierarchy", () => {
  it("builds the 5-level tree of DHIS2's metadata CSV, resolving parents by uid", () => {
    const rows = parseSimpleCsv(fixtureText("dhis2-core/metadata/organisationUnits.csv")).map((r, i) => ({
      id: r.uid,
      code: r.code,
      name: r.name,
      parentRef: r.parent,
      place: { file: "organisationUnits.csv", row: i + 2 },
    }));
    const { locations, issues } = buildHierarchy(rows, ["Root", "Province", "District", "Zone", "Facility"]);
    expect(issues).toEqual([]);
    expect(byName(locations, "Level 4")).toMatchObject({
      code: "L4",
      level: 5,
      level_name: "Facility",
      path: "/a1234567890/b1234567890/c1234567890/e1234567890/f1234567890",
    });
    expect(byName(locations, "Level 2b")).toMatchObject({ level: 3, parent_id: "b1234567890" });
  });

  it("resolves a parent given by code when no row has that id", () => {
    const { locations } = buildHierarchy(
      [
        { code: "SL", name: "Sierra Leone" },
        { code: "BO", name: "Bo", parentRef: "SL" },
      ],
      ["Country", "District"],
    );
    expect(locations.map((l) => [l.location_id, l.path])).toEqual([
      ["sierra-leone", "/sierra-leone"],
      ["sierra-leone.bo", "/sierra-leone/sierra-leone.bo"],
    ]);
  });

  it("leaves out and names every row with an unknown parent, a cycle or a used id, and their descendants", () => {
    const place = (row: number) => ({ file: "units.csv", row });
    const { locations, issues } = buildHierarchy(
      [
        { id: "root", name: "Sierra Leone", place: place(2) },
        { id: "bo", name: "Bo", parentRef: "root", place: place(3) },
        { id: "bo", name: "Bo again", parentRef: "root", place: place(4) },
        { id: "x", name: "Orphan", parentRef: "nowhere", place: place(5) },
        { id: "x-child", name: "Orphan's child", parentRef: "x", place: place(6) },
        { id: "a", name: "Loop A", parentRef: "b", place: place(7) },
        { id: "b", name: "Loop B", parentRef: "a", place: place(8) },
      ],
      ["Country", "District"],
    );
    expect(locations.map((l) => l.location_id)).toEqual(["root", "bo"]);
    const messages = issues.map((i) => i.message);
    expect(messages).toContain(
      "file units.csv, row 4, location 'Bo again' (id bo): id bo is already used by 'Bo'; this row is left out",
    );
    expect(messages).toContain(
      "file units.csv, row 5, location 'Orphan' (id x): parent 'nowhere' is not among the locations; it is left out",
    );
    expect(messages).toContain(
      "file units.csv, row 6, location 'Orphan's child' (id x-child): its parent 'x' was left out, so it is too",
    );
    expect(messages.filter((m) => m.includes("Loop"))).toHaveLength(2);
    expect(messages.some((m) => m.includes("cycle"))).toBe(true);
    expect(issues.every((i) => i.severity === "error")).toBe(true);
  });
});

describe("hierarchyFromLevelTable", () => {
  // The analytics metadata's ouNameHierarchy lists 1,166 real Sierra Leone facilities with their names from the root:
  // exactly the "one row per leaf, one column per level" table a ministry keeps in a spreadsheet.
  const meta = fixtureJson("dhis2-analytics/demo-aggregate/hierarchy.metadata.json") as {
    metaData: { ouNameHierarchy: Record<string, string>; items: Record<string, { code?: string }> };
  };
  const columns = [
    { column: "Country", levelName: "Country" },
    { column: "District", levelName: "District" },
    { column: "Chiefdom", levelName: "Chiefdom" },
    { column: "Facility", levelName: "Facility", idColumn: "uid", codeColumn: "code" },
  ];
  const records: RawRecord[] = Object.entries(meta.metaData.ouNameHierarchy)
    .map(([uid, path]) => ({ uid, names: path.split("/").slice(1) }))
    .filter((r) => r.names.length === 4)
    .map((r, i) => ({
      values: {
        Country: r.names[0],
        District: r.names[1],
        Chiefdom: r.names[2],
        Facility: r.names[3],
        uid: r.uid,
        code: meta.metaData.items[r.uid]?.code ?? null,
      },
      place: { file: "facilities.xlsx", sheet: "Facilities", row: i + 2 },
    }));

  it("builds country, districts, chiefdoms and facilities with generated ids above the facilities' own", () => {
    const { locations, issues } = hierarchyFromLevelTable(records, columns);
    expect(issues).toEqual([]);
    expect(locations.filter((l) => l.level === 1).map((l) => l.location_id)).toEqual(["sierra-leone"]);
    expect(locations.filter((l) => l.level === 4)).toHaveLength(records.length);
    expect(byName(locations, "Badjia")).toMatchObject({ location_id: "sierra-leone.bo.badjia", parent_id: "sierra-leone.bo" });
    expect(byName(locations, "Ngelehun CHC")).toMatchObject({
      location_id: "DiszpKrYNg8",
      code: "OU_559",
      level_name: "Facility",
      path: "/sierra-leone/sierra-leone.bo/sierra-leone.bo.badjia/DiszpKrYNg8",
    });
    expect(byName(locations, "Koya (kenema)").location_id).toBe("sierra-leone.kenema.koya-kenema");
  });

  it("merges case variants with a warning, and refuses a row with a gap, naming row and column", () => {
    const place = (row: number) => ({ file: "levels.csv", row });
    const { locations, issues } = hierarchyFromLevelTable(
      [
        { values: { Country: "Sierra Leone", District: "Bo", Chiefdom: "Badjia", Facility: "Ngelehun CHC" }, place: place(2) },
        { values: { Country: "Sierra Leone", District: "BO", Chiefdom: "Badjia", Facility: "Njandama MCHP" }, place: place(3) },
        { values: { Country: "Sierra Leone", District: "BO", Chiefdom: "Baoma", Facility: null }, place: place(4) },
        { values: { Country: "Sierra Leone", District: "", Chiefdom: "Kakua", Facility: "Bucksal Clinic" }, place: place(5) },
      ],
      columns.map(({ column, levelName }) => ({ column, levelName })),
    );
    expect(locations.map((l) => l.name)).toEqual(["Sierra Leone", "Bo", "Badjia", "Baoma", "Ngelehun CHC", "Njandama MCHP"]);
    expect(issues).toEqual([
      {
        severity: "warning",
        message: "file levels.csv, row 3, column `District`: 'BO' is taken as 'Bo' (first written so at row 2)",
        place: { file: "levels.csv", row: 3, column: "District" },
      },
      {
        severity: "error",
        message:
          "file levels.csv, row 5, column `Chiefdom`: 'Kakua' has no District (column `District` is empty); this row is left out",
        place: { file: "levels.csv", row: 5, column: "Chiefdom" },
      },
    ]);
  });
});
