import { describe, expect, it } from "vitest";
import type { FieldRow, RawRecord } from "../../core/types.ts";
import { type Dhis2OrgUnit, hierarchyFromDhis2OrgUnits } from "../locations/dhis2-org-units.ts";
import { sierraLeoneUnits } from "../locations/fixtures.ts";
import { createMatcher, type Matcher } from "../locations/matcher.ts";
import { createHarmonizer, MappingError } from "./harmonize.ts";
import { createPeriodReader } from "./period-reader.ts";
import { ColumnMapping, type ColumnMappingInput, PeriodMappingSchema, ValueCleaningSchema } from "./schema.ts";
import { createValueCleaner } from "./values.ts";

describe("createValueCleaner", () => {
  const cleaner = (options: object) => createValueCleaner(ValueCleaningSchema.parse(options));

  it("reads plain numbers and treats NA tokens as blank, case-insensitively", () => {
    const clean = cleaner({});
    expect(clean("12")).toEqual(12);
    expect(clean(" -3.5e2 ")).toEqual(-350);
    expect(clean(7)).toEqual(7);
    expect(clean(true)).toEqual(1);
    for (const blank of ["", "  ", "n/a", "N/A", "na", "-", "#N/A", null, undefined]) expect(clean(blank)).toBeNull();
    expect(clean("1,234")).toEqual("1,234");
    expect(clean("12%")).toEqual("12%");
    expect(clean(Number.NaN)).toEqual("NaN");
  });

  it("reads decimal commas and thousands separators only in valid groups of three", () => {
    const fr = cleaner({ decimalSeparator: ",", thousandsSeparator: " " });
    expect(fr("1 234,5")).toEqual(1234.5);
    expect(fr("1\u202f234")).toEqual(1234);
    expect(fr("12,5")).toEqual(12.5);
    expect(fr("1.5")).toEqual("1.5");
    const en = cleaner({ thousandsSeparator: "," });
    expect(en("1,234,567.25")).toEqual(1234567.25);
    expect(en("1,5")).toEqual("1,5");
    expect(en("12,34")).toEqual("12,34");
    expect(() => ValueCleaningSchema.parse({ decimalSeparator: ",", thousandsSeparator: "," })).toThrow(/must differ/);
  });
});

describe("createPeriodReader", () => {
  const reader = (m: object) => createPeriodReader(PeriodMappingSchema.parse(m));

  it("parses DHIS2 ids and checks the expected type", () => {
    const read = reader({ how: "dhis2-id", column: "pe", periodType: "Weekly" });
    expect(read("2015W53")).toMatchObject({ ok: true, period: { periodId: "2015W53", start: "2015-12-28" } });
    expect(read("2014W53")).toEqual({ ok: false, reason: "2014 has only 52 ISO weeks" });
    expect(read("201201")).toEqual({ ok: false, reason: "is a Monthly period; this source's periods are Weekly" });
    expect(read("2015W53")).toBe(read("2015W53"));
  });

  it("files dates, months and weeks under the chosen type", () => {
    const quarter = reader({ how: "date", column: "d", periodType: "Quarterly" });
    expect(quarter("2024-05-17")).toMatchObject({ ok: true, period: { periodId: "2024Q2" } });
    expect(quarter(new Date(Date.UTC(2024, 11, 31)))).toMatchObject({ ok: true, period: { periodId: "2024Q4" } });
    expect(quarter("2024-02-30")).toMatchObject({ ok: false });
    const dmy = reader({ how: "date", column: "d", periodType: "Daily", dateOrder: "dmy" });
    expect(dmy("05/03/2024")).toMatchObject({ ok: true, period: { periodId: "20240305" } });
    const month = reader({ how: "month", column: "m" });
    for (const v of [
      "2024-03",
      "202403",
      "3/2024",
      "Mar 2024",
      "mars 2024",
      "Março 2024",
      "2024 March",
      new Date(Date.UTC(2024, 2, 9)),
    ]) {
      expect(month(v), String(v)).toMatchObject({ ok: true, period: { periodId: "202403", periodType: "Monthly" } });
    }
    expect(reader({ how: "month", column: "m", periodType: "Quarterly" })("2024-03")).toMatchObject({
      period: { periodId: "2024Q1" },
    });
    expect(() => reader({ how: "month", column: "m", periodType: "Weekly" })).toThrow();
    const wed = reader({ how: "week", column: "w", periodType: "WeeklyWednesday" });
    expect(wed("2017W5")).toMatchObject({ ok: true, period: { periodId: "2017WedW5" } });
    const week = reader({ how: "week", column: "w" });
    expect(week("W5 2017")).toMatchObject({ period: { periodId: "2017W5" } });
    expect(week("2017-W05")).toMatchObject({ period: { periodId: "2017W5" } });
    expect(week("2014-W53")).toEqual({ ok: false, reason: "2014 has only 52 ISO weeks" });
    expect(week("week five")).toMatchObject({ ok: false, reason: expect.stringContaining("is not a week") });
  });
});

describe("createHarmonizer", () => {
  const sl = sierraLeoneUnits();
  const { locations } = hierarchyFromDhis2OrgUnits(sl.units as Dhis2OrgUnit[], sl.levels as []);
  const fields: FieldRow[] = [
    { field_id: "cases", name: "Cases", description: null, unit: null, source_field_id: "abc123", aggregation: "sum" },
  ];
  const mapping: ColumnMappingInput = {
    source: "s",
    period: { how: "dhis2-id", column: "pe" },
    location: [
      { column: "district", level: 2, by: "name" },
      { column: "chiefdom", level: 3, by: "name" },
    ],
    layout: { kind: "long", fieldColumn: "de", valueColumn: "v" },
  };

  it("refuses a mapping that does not fit, naming each problem", () => {
    const matcher = createMatcher(locations);
    expect(() => createHarmonizer({ ...mapping, location: [] }, matcher, fields)).toThrow(
      /location: at least one location column/,
    );
    const wide: ColumnMappingInput = { ...mapping, layout: { kind: "wide", values: [{ column: "x", field_id: "nope" }] } };
    expect(() => createHarmonizer(wide, matcher, fields)).toThrow(MappingError);
    expect(() => createHarmonizer(wide, matcher, fields)).toThrow("column `x` maps to field 'nope', which is not defined");
    expect(ColumnMapping.parse(mapping).values).toMatchObject({ decimalSeparator: ".", blanks: "skip" });
  });

  it("matches each distinct location once per run, however many rows and batches name it", () => {
    const inner = createMatcher(locations);
    let calls = 0;
    const counting: Matcher = {
      ...inner,
      match: (q) => {
        calls++;
        return inner.match(q);
      },
    };
    const harmonizer = createHarmonizer(mapping, counting, fields);
    const rows = (n: number, chiefdom: string): RawRecord[] =>
      Array.from({ length: n }, (_, i) => ({
        values: { district: "Bo", chiefdom, pe: `2024${String((i % 12) + 1).padStart(2, "0")}`, de: "abc123", v: String(i) },
        place: { file: "big.csv", row: i + 2 },
      }));
    const first = harmonizer.harmonize([...rows(500, "Badjia"), ...rows(300, "BADJIA ")]);
    const second = harmonizer.harmonize(rows(400, "Badjia"));
    expect(first.observations).toHaveLength(800);
    expect(second.observations).toHaveLength(400);
    expect(calls).toBe(4); // (Bo, Badjia) and (Bo, BADJIA): two levels each, nothing more for 1,200 rows
    expect(first.observations[0]).toEqual({
      source: "s",
      field_id: "cases",
      disaggregation: null,
      location_id: "YuQRtpLP10I",
      period_type: "Monthly",
      period_id: "202401",
      period_start: "2024-01-01",
      period_end: "2024-01-31",
      value: 0,
      value_text: null,
    });
  });

  it("lists at most maxListed rejections per batch but counts them all, and nothing is dropped unaccounted", () => {
    const harmonizer = createHarmonizer(mapping, createMatcher(locations), fields, { maxListed: 3 });
    const records: RawRecord[] = Array.from({ length: 10 }, (_, i) => ({
      values: { district: "Bo", chiefdom: "Atlantis", pe: "202401", de: "abc123", v: "1" },
      place: { sheet: "Data", row: i + 2 },
    }));
    const result = harmonizer.harmonize(records);
    expect(result.rejected).toHaveLength(3);
    expect(result.rejectedCount).toBe(10);
    expect(result.unmatched.totalRows).toBe(10);
    expect(result.unmatched.entries()[0]).toMatchObject({
      value: "Atlantis",
      parent: "Bo",
      count: 10,
      firstPlace: { sheet: "Data", row: 2, column: "chiefdom" },
    });
    expect(result.rejected[0].reason).toMatch(/^sheet Data, row 2, column `chiefdom`: 'Atlantis' — no location is close enough/);
  });
});
