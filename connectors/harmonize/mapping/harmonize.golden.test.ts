/**
 * Golden files for harmonizeRecords: a small wide sheet (names by level, months, decimal comma) and a small long table
 * (DHIS2's own dataValueSetB.csv import file plus constructed bad rows). Run with UPDATE_GOLDEN=1 to rewrite the
 * expected files after a deliberate change, then read the diff.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FieldRow, RawRecord } from "../../core/types.ts";
import { type Dhis2OrgUnit, hierarchyFromDhis2OrgUnits } from "../locations/dhis2-org-units.ts";
import { fixtureText, parseSimpleCsv, sierraLeoneUnits } from "../locations/fixtures.ts";
import { createMatcher } from "../locations/matcher.ts";
import { createHarmonizer, harmonizeRecords } from "./harmonize.ts";

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url);
const readGolden = (name: string) => readFileSync(golden(name), "utf8");

function records(csv: string, file: string): RawRecord[] {
  return parseSimpleCsv(csv).map((values, i) => ({ values, place: { file, row: i + 2 } }));
}

function checkGolden(name: string, actual: unknown): void {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden(name))) {
    if (process.env.UPDATE_GOLDEN !== "1") throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1`);
    writeFileSync(golden(name), text);
  }
  expect(text).toBe(readGolden(name));
}

const sl = sierraLeoneUnits();
const { locations } = hierarchyFromDhis2OrgUnits(sl.units as Dhis2OrgUnit[], sl.levels as []);
const matcher = createMatcher(locations);

const fields: FieldRow[] = [
  {
    field_id: "malaria_confirmed",
    name: "Malaria confirmed",
    description: null,
    unit: "cases",
    source_field_id: null,
    aggregation: "sum",
  },
  {
    field_id: "malaria_tested",
    name: "Malaria tested",
    description: null,
    unit: "tests",
    source_field_id: null,
    aggregation: "sum",
  },
  {
    field_id: "de_f7n9",
    name: "Data element f7n9E0hX8qk",
    description: null,
    unit: null,
    source_field_id: "f7n9E0hX8qk",
    aggregation: "sum",
  },
  {
    field_id: "de_ix2h",
    name: "Data element Ix2HsbDMLea",
    description: null,
    unit: null,
    source_field_id: "Ix2HsbDMLea",
    aggregation: "sum",
  },
  {
    field_id: "de_ey5e",
    name: "Data element eY5ehpbEsB7",
    description: null,
    unit: null,
    source_field_id: "eY5ehpbEsB7",
    aggregation: "sum",
  },
];

describe("harmonizeRecords golden files", () => {
  it("harmonizes a small wide sheet", () => {
    const result = harmonizeRecords(
      records(readGolden("wide.csv"), "malaria.xlsx"),
      JSON.parse(readGolden("wide.mapping.json")),
      matcher,
      fields,
    );
    checkGolden("wide.expected.golden.json", { ...result, unmatched: result.unmatched.toJSON() });
  });

  it("harmonizes a small long table", () => {
    const input = [
      ...records(fixtureText("dhis2-core/datavalueset/dataValueSetB.csv"), "dataValueSetB.csv"),
      ...records(readGolden("long-extra.csv"), "long-extra.csv"),
    ];
    const result = harmonizeRecords(input, JSON.parse(readGolden("long.mapping.json")), matcher, fields);
    checkGolden("long.expected.golden.json", { ...result, unmatched: result.unmatched.toJSON() });
  });

  it("gives the same observations when the input comes in batches, and counts unmatched rows over all of them", () => {
    const input = records(readGolden("wide.csv"), "malaria.xlsx");
    const mapping = JSON.parse(readGolden("wide.mapping.json"));
    const whole = harmonizeRecords(input, mapping, matcher, fields);
    const harmonizer = createHarmonizer(mapping, matcher, fields);
    const batches = [input.slice(0, 5), input.slice(5, 8), input.slice(8)].map((b) => harmonizer.harmonize(b));
    expect(batches.flatMap((b) => b.observations)).toEqual(whole.observations);
    expect(batches.flatMap((b) => b.rejected)).toEqual(whole.rejected);
    expect(harmonizer.unmatched.toJSON()).toEqual(whole.unmatched.toJSON());
  });
});
