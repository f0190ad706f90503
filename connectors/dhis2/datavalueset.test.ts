/** DHIS2's own invalid import payloads: each bad value is rejected on its own with a reason; nothing throws. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDataValueSet } from "./datavalueset.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../shared/fixtures/dhis2-core/datavalueset/${name}`, import.meta.url), "utf8");

/** What the DHIS2 integration tests' database holds (dhis-test-integration DataValueSetServiceTest set-up). */
const known = {
  dataElements: new Set(["f7n9E0hX8qk", "Ix2HsbDMLea", "eY5ehpbEsB7"]),
  orgUnits: new Set(["DiszpKrYNg8", "BdfsJfj87js", "wjP19dkFeIk"]),
  categoryOptionCombos: new Set(["HllvX50cXC0"]),
};

describe("parseDataValueSet on DHIS2's invalid payloads", () => {
  it("IllegalOrgUnit: rejects the value at an unknown org unit", () => {
    const r = parseDataValueSet(fixture("dataValueSetIllegalOrgUnit.xml"), { known });
    expect(r.values).toEqual([]);
    expect(r.rejections).toEqual([{ index: 1, message: expect.stringContaining("unknown org unit 'missingOrgu'") }]);
    expect(r.dataSet).toBe("pBOMPrpg1QX");
  });

  it("IllegalCoc: rejects the value with an unknown category option combo", () => {
    const r = parseDataValueSet(fixture("dataValueSetIllegalCoc.xml"), { known });
    expect(r.values).toEqual([]);
    expect(r.rejections[0].message).toMatch(
      /data value #1 \(dataElement f7n9E0hX8qk, period 201201, orgUnit DiszpKrYNg8\): unknown category option combo 'kjuiHgy67hg'/,
    );
  });

  it("Invalid: keeps the good values (period and org unit from the header) and rejects the unknown data element", () => {
    const r = parseDataValueSet(fixture("dataValueSetInvalid.xml"), { known });
    expect(r.values.map((v) => [v.dataElement, v.period, v.orgUnit, v.value])).toEqual([
      ["f7n9E0hX8qk", "201201", "DiszpKrYNg8", "1"],
      ["Ix2HsbDMLea", "201201", "DiszpKrYNg8", "2"],
    ]);
    expect(r.rejections).toEqual([{ index: 3, message: expect.stringContaining("unknown data element 'jH26dja2f28'") }]);
  });

  it("ANull: rejects the empty and the missing value, keeps the third", () => {
    const r = parseDataValueSet(fixture("dataValueSetANull.xml"), { known });
    expect(r.values.map((v) => v.value)).toEqual(["10003"]);
    expect(r.rejections.map((x) => x.index)).toEqual([1, 2]);
    expect(r.rejections.every((x) => x.message.includes("no value"))).toBe(true);
  });

  it("JSON deletion payload without a value is a rejection, not a crash", () => {
    const r = parseDataValueSet(fixture("dataValueSetJDeleteNoValue.json"));
    expect(r.values).toEqual([]);
    expect(r.rejections[0].message).toMatch(/no value/);
  });

  it("without known ids, still checks syntax: ids, periods, missing fields", () => {
    const r = parseDataValueSet(
      JSON.stringify({
        dataValues: [{ dataElement: "bad id", period: "2019X", orgUnit: "DiszpKrYNg8", value: "1" }, { value: "2" }, null],
      }),
    );
    expect(r.values).toEqual([]);
    expect(r.rejections.map((x) => x.message)).toEqual([
      expect.stringMatching(/period '2019X' is not a DHIS2 ISO period.*dataElement 'bad id' is not a DHIS2 id/),
      expect.stringMatching(/no dataElement; no period; no orgUnit/),
      "data value #3: not an object",
    ]);
  });

  it("a well-formed set passes whole", () => {
    const r = parseDataValueSet(fixture("dataValueSetA.xml"), { known });
    expect(r.rejections).toEqual([]);
    expect(r.values).toHaveLength(3);
  });

  it("malformed XML and JSON give one document-level rejection with the place", () => {
    const xml = parseDataValueSet('<dataValueSet>\n  <dataValue dataElement="f7n9E0hX8qk">\n</dataValueSet>');
    expect(xml.values).toEqual([]);
    expect(xml.rejections).toEqual([{ message: expect.stringMatching(/not well-formed XML at line \d+, column \d+/) }]);
    expect(parseDataValueSet('{"dataValues": [').rejections[0].message).toMatch(/not valid JSON/);
    expect(parseDataValueSet("<other/>").rejections[0].message).toMatch(/no <dataValueSet> root/);
  });
});
