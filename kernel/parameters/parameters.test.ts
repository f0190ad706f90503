import { describe, expect, it } from "vitest";
import {
  bindingsFor,
  defaultValue,
  type InputDefinition,
  type LocationNode,
  ParameterError,
  paramsToUrl,
  parseDefinitions,
  parseParamsFromUrl,
  resolvePeriods,
  validateValue,
} from "./index.ts";

const LOCATIONS: LocationNode[] = [
  { id: "SL", name: "Sierra Leone", level: 1, parentId: null },
  { id: "BO", name: "Bo", level: 2, parentId: "SL" },
  { id: "KE", name: "Kenema", level: 2, parentId: "SL" },
  { id: "BO-1", name: "Bo Govt Hospital", level: 3, parentId: "BO" },
];
const TODAY = "2024-05-15";
const context = { locations: LOCATIONS, today: TODAY, options: { field: ["cases", "deaths"] } };

const defs: InputDefinition[] = parseDefinitions([
  { name: "indicator", type: "select", options: ["confirmed", { value: "tested", label: "Tested" }], default: "tested" },
  { name: "field", type: "select", optionsFrom: { cell: "fields", column: "field_id" } },
  { name: "sources", type: "multi-select", options: ["a", "b", "c, d"], default: ["a"] },
  { name: "search", type: "text", maxLength: 20 },
  { name: "threshold", type: "number", min: 0, max: 100, integer: true, default: 5 },
  { name: "window", type: "date-range", default: { from: "2024-01-01", to: "2024-03-31" } },
  { name: "period", type: "period", periodTypes: ["Monthly", "Quarterly"] },
  { name: "district", type: "location", levels: [2], default: "BO" },
  { name: "facilities", type: "location", multiple: true },
]);
const byName = (name: string) => defs.find((d) => d.name === name) as InputDefinition;

describe("definitions", () => {
  it("refuses bad names, unknown types, duplicates and clashing derived names", () => {
    expect(() => parseDefinitions([{ name: "1x", type: "text" }])).toThrow(/input `1x`: name: an input name/);
    expect(() => parseDefinitions([{ name: "x", type: "slider" }])).toThrow(/input `x`/);
    expect(() =>
      parseDefinitions([
        { name: "a", type: "text" },
        { name: "A", type: "number" },
      ]),
    ).toThrow("input `A`: two inputs have this name");
    expect(() =>
      parseDefinitions([
        { name: "p", type: "period" },
        { name: "p_start", type: "text" },
      ]),
    ).toThrow("input `p_start`: its parameter $p_start clashes with input `p`");
  });
});

describe("validateValue", () => {
  it("refuses a value of the wrong type with a message naming the input", () => {
    expect(validateValue(byName("threshold"), "12")).toEqual({ ok: false, message: "`threshold`: '12' is not a number" });
    expect(validateValue(byName("threshold"), 2.5)).toMatchObject({
      ok: false,
      message: "`threshold`: 2.5 is not a whole number",
    });
    expect(validateValue(byName("threshold"), 101)).toMatchObject({ message: "`threshold`: 101 is above the maximum 100" });
    expect(validateValue(byName("search"), 42)).toMatchObject({ message: "`search`: expected text, got 42" });
    expect(validateValue(byName("search"), "x".repeat(21))).toMatchObject({
      message: "`search`: at most 20 characters (got 21)",
    });
    expect(validateValue(byName("sources"), "a")).toMatchObject({ message: "`sources`: expected a list of options, got 'a'" });
    expect(validateValue(byName("sources"), ["a", "z"])).toMatchObject({ message: "`sources`: 'z' is not one of the options" });
    expect(validateValue(byName("indicator"), "deaths")).toMatchObject({
      message: "`indicator`: 'deaths' is not one of the options",
    });
    expect(validateValue(byName("window"), { from: "2024-02-30", to: "2024-03-01" })).toMatchObject({
      message: "`window`: start '2024-02-30' is not a date (YYYY-MM-DD)",
    });
    expect(validateValue(byName("window"), { from: "2024-04-01", to: "2024-03-01" })).toMatchObject({
      message: "`window`: the start 2024-04-01 is after the end 2024-03-01",
    });
  });

  it("checks options from a SQL cell's column when they are known", () => {
    expect(validateValue(byName("field"), "cases", context)).toEqual({ ok: true, value: "cases" });
    expect(validateValue(byName("field"), "x", context)).toMatchObject({ message: "`field`: 'x' is not one of the options" });
    expect(defaultValue(byName("field"), context)).toBe("cases");
  });

  it("checks locations against the hierarchy and the allowed levels", () => {
    expect(validateValue(byName("district"), "KE", context)).toEqual({ ok: true, value: "KE" });
    expect(validateValue(byName("district"), "XX", context)).toMatchObject({
      message: "`district`: 'XX' is not a location in the hierarchy",
    });
    expect(validateValue(byName("district"), "BO-1", context)).toMatchObject({
      message: "`district`: Bo Govt Hospital (BO-1) is at level 3; pick a location at level 2",
    });
    expect(validateValue(byName("district"), ["BO"], context)).toMatchObject({
      message: "`district`: '[\"BO\"]' is not a location id".replace("'[\"BO\"]'", '["BO"]'),
    });
    expect(validateValue(byName("facilities"), ["BO-1", "SL", "BO-1"], context)).toEqual({ ok: true, value: ["BO-1", "SL"] });
  });

  it("checks period choices: offered type, real periods, a sane count", () => {
    const ok = validateValue(
      byName("period"),
      { kind: "relative", periodType: "Quarterly", relative: "LAST_4_QUARTERS" },
      context,
    );
    expect(ok.ok).toBe(true);
    expect(
      validateValue(byName("period"), { kind: "range", periodType: "Weekly", from: "2024W1", to: "2024W3" }, context),
    ).toMatchObject({
      message: "`period`: period type Weekly is not offered (Monthly, Quarterly)",
    });
    expect(
      validateValue(byName("period"), { kind: "relative", periodType: "Monthly", relative: "LAST_4_QUARTERS" }, context),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^`period`: LAST_4_QUARTERS: period type Monthly does not fit/),
    });
    expect(
      validateValue(byName("period"), { kind: "range", periodType: "Monthly", from: "2024X", to: "202403" }, context),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("`period`: range from '2024X'"),
    });
  });
});

describe("resolvePeriods", () => {
  it("turns a relative choice into DHIS2 period ids and dates (the current period excluded)", () => {
    const r = resolvePeriods({ kind: "relative", periodType: "Monthly", relative: "LAST_12_MONTHS" }, TODAY);
    expect(r.periodIds).toEqual([
      "202305",
      "202306",
      "202307",
      "202308",
      "202309",
      "202310",
      "202311",
      "202312",
      "202401",
      "202402",
      "202403",
      "202404",
    ]);
    expect(r).toMatchObject({ periodType: "Monthly", start: "2023-05-01", end: "2024-04-30" });
  });

  it("turns a range into the periods overlapping it", () => {
    const r = resolvePeriods({ kind: "range", periodType: "Quarterly", from: "2023-11-15", to: "202403" });
    expect(r).toEqual({ periodType: "Quarterly", periodIds: ["2023Q4", "2024Q1"], start: "2023-10-01", end: "2024-03-31" });
  });
});

describe("bindingsFor", () => {
  it("binds every input: lists as arrays, ranges with their ends, defaults for missing values", () => {
    const params = bindingsFor(
      defs,
      {
        sources: ["b", "c, d"],
        period: { kind: "range", periodType: "Monthly", from: "202401", to: "202403" },
        facilities: ["BO-1"],
      },
      context,
    );
    expect(params).toEqual({
      indicator: "tested",
      field: "cases",
      sources: ["b", "c, d"],
      search: "",
      threshold: 5,
      window: ["2024-01-01", "2024-03-31"],
      window_from: "2024-01-01",
      window_to: "2024-03-31",
      period: ["202401", "202402", "202403"],
      period_start: "2024-01-01",
      period_end: "2024-03-31",
      period_type: "Monthly",
      district: "BO",
      facilities: ["BO-1"],
    });
  });

  it("refuses a wrong value with the input's message", () => {
    expect(() => bindingsFor(defs, { threshold: "5; DROP TABLE x" as unknown as number }, context)).toThrow(ParameterError);
    expect(() => bindingsFor(defs, { threshold: "5" as unknown as number }, context)).toThrow("`threshold`: '5' is not a number");
  });
});

describe("URL round trip", () => {
  const values = {
    indicator: "confirmed",
    field: "deaths",
    sources: ["a", "c, d"],
    search: "Bo & Kenema?=#x",
    threshold: 42,
    window: { from: "2023-01-01", to: "2023-12-31" },
    period: { kind: "relative" as const, periodType: "Quarterly" as const, relative: "LAST_4_QUARTERS" },
    district: "KE",
    facilities: [],
  };

  it("writes every value and reads back the same values", () => {
    const search = paramsToUrl(values, defs, { base: new URLSearchParams("tab=results") });
    expect(search.get("tab")).toBe("results");
    expect(search.getAll("sources")).toEqual(["a", "c, d"]);
    expect(search.get("period")).toBe("Quarterly:LAST_4_QUARTERS");
    expect(search.get("window")).toBe("2023-01-01..2023-12-31");
    const parsed = parseParamsFromUrl(`?${search.toString()}`, defs, context);
    expect(parsed.notices).toEqual([]);
    expect(parsed.values).toEqual(values);
  });

  it("round-trips a period range and works with a key prefix", () => {
    const period = { kind: "range" as const, periodType: "Monthly" as const, from: "202401", to: "2024-03-10" };
    const search = paramsToUrl({ period }, [byName("period")], { prefix: "in." });
    expect(search.toString()).toBe("in.period=Monthly%3A202401..2024-03-10");
    expect(parseParamsFromUrl(search, [byName("period")], { ...context, prefix: "in." }).values.period).toEqual(period);
  });

  it("falls back to defaults with a notice naming the input and why", () => {
    const parsed = parseParamsFromUrl(
      "threshold=abc&district=XX&window=2024-01-01&period=Monthly:NEXT_YEAR&sources=zzz&indicator=tested",
      defs,
      context,
    );
    expect(parsed.values).toMatchObject({
      threshold: 5,
      district: "BO",
      window: { from: "2024-01-01", to: "2024-03-31" },
      period: { kind: "relative", periodType: "Monthly", relative: "LAST_12_MONTHS" },
      sources: ["a"],
      indicator: "tested",
    });
    expect(parsed.notices).toEqual([
      { input: "sources", message: "`sources`: 'zzz' is not one of the options; using the default instead" },
      { input: "threshold", message: "`threshold`: 'abc' is not a number; using the default instead" },
      { input: "window", message: "`window`: '2024-01-01' is not a date range (from..to); using the default instead" },
      {
        input: "period",
        message: expect.stringMatching(/^`period`: .* is not a period choice; using the default instead$/),
      },
      { input: "district", message: "`district`: 'XX' is not a location in the hierarchy; using the default instead" },
    ]);
  });

  it("uses defaults silently when the URL says nothing", () => {
    const parsed = parseParamsFromUrl("", defs, context);
    expect(parsed.notices).toEqual([]);
    expect(parsed.values.threshold).toBe(5);
    expect(parsed.values.facilities).toEqual([]);
  });
});
