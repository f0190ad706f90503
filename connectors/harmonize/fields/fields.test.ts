import { describe, expect, it } from "vitest";
import { fixtureJson } from "../locations/fixtures.ts";
import { fieldIdFromName, uniqueFieldIds } from "./field-id.ts";
import { aggregationFromDhis2, FieldDefinitionError, parseFieldDefinitions } from "./schema.ts";

describe("fieldIdFromName", () => {
  it("makes SQL-friendly ids from real DHIS2 data element names", () => {
    expect(fieldIdFromName("Malaria – confirmed cases (<5 yrs)")).toBe("malaria_confirmed_cases_5_yrs");
    expect(fieldIdFromName("ANC 1st visit")).toBe("anc_1st_visit");
    expect(fieldIdFromName("Vacunación: 2ª dosis")).toBe("vacunacion_2a_dosis");
    expect(fieldIdFromName("2nd dose")).toBe("f_2nd_dose");
    expect(fieldIdFromName("???")).toBe("field");
    expect(fieldIdFromName("x".repeat(100))).toHaveLength(63);
  });

  it("makes ids unique when names collide", () => {
    expect(uniqueFieldIds(["BCG doses", "BCG-doses", "bcg doses"])).toEqual(["bcg_doses", "bcg_doses_2", "bcg_doses_3"]);
  });
});

describe("parseFieldDefinitions", () => {
  it("reads definitions derived from DHIS2's data elements", () => {
    const { dataElements } = fixtureJson("dhis2-android-sdk/data_elements.json") as {
      dataElements: { id: string; name: string; aggregationType: string; description?: string }[];
    };
    const ids = uniqueFieldIds(dataElements.map((d) => d.name));
    const fields = parseFieldDefinitions(
      dataElements.map((d, i) => ({
        field_id: ids[i],
        name: d.name,
        aggregation: aggregationFromDhis2(d.aggregationType),
        description: d.description ?? "",
        source_field_id: d.id,
      })),
    );
    expect(fields.length).toBe(dataElements.length);
    expect(fields[0]).toMatchObject({
      field_id: "mch_anc_visit",
      name: "MCH ANC Visit",
      unit: null,
      aggregation: "average",
      source_field_id: "g9eOBujte1U",
    });
    expect(fields.every((f) => f.description === null || f.description.length > 0)).toBe(true);
  });

  it("names each problem with the field's position and id, including duplicates", () => {
    let error: unknown;
    try {
      parseFieldDefinitions([
        { field_id: "cases", name: "Cases", aggregation: "sum", source_field_id: "abc" },
        { field_id: "Cases!", name: "", aggregation: "median" },
        { field_id: "cases", name: "Cases again", source_field_id: "abc" },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FieldDefinitionError);
    const problems = (error as FieldDefinitionError).problems;
    expect(problems.some((p) => p.startsWith("field #2 (`Cases!`), field_id: must be lowercase"))).toBe(true);
    expect(problems.some((p) => p.startsWith("field #2 (`Cases!`), name:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("field #2 (`Cases!`), aggregation:"))).toBe(true);
    expect(problems).toContain("field #3 (`cases`): field_id is already used by field #1");
    expect(problems).toContain("field #3 (`cases`): source_field_id abc is already used by field #1");
  });

  it("defaults aggregation to sum and blanks to null", () => {
    expect(parseFieldDefinitions([{ field_id: "pop", name: " Population ", unit: " ", description: null }])).toEqual([
      { field_id: "pop", name: "Population", unit: null, aggregation: "sum", description: null, source_field_id: null },
    ]);
    expect(aggregationFromDhis2("AVERAGE_SUM_ORG_UNIT")).toBe("average");
    expect(aggregationFromDhis2("LAST")).toBe("last");
    expect(aggregationFromDhis2(undefined)).toBe("none");
  });
});
