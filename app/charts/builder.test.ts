import { compile } from "vega-lite";
import { describe, expect, test } from "vitest";
import {
  buildSpec,
  type ChartModel,
  defaultEncoding,
  inferFieldType,
  markKinds,
  parseChartModel,
  suggestModel,
} from "./builder.ts";
import { loadVegaLiteSchema, validateSpec } from "./validate.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read deep into the generated spec
type Spec = Record<string, any>;

const baseColumns = [
  { name: "period_start", type: "DATE" },
  { name: "district_name", type: "VARCHAR" },
  { name: "location_id", type: "VARCHAR" },
  { name: "value", type: "DOUBLE" },
];

describe("defaults for base-format columns", () => {
  test("period_start is temporal by month, value is a summed quantity, names and ids are nominal", () => {
    expect(defaultEncoding({ name: "period_start", type: "DATE" })).toEqual({
      field: "period_start",
      type: "temporal",
      timeUnit: "yearmonth",
      format: "%b %Y",
    });
    expect(defaultEncoding({ name: "value", type: "DOUBLE" })).toMatchObject({
      field: "value",
      type: "quantitative",
      aggregate: "sum",
    });
    expect(inferFieldType({ name: "district_name", type: "VARCHAR" })).toBe("nominal");
    expect(inferFieldType({ name: "location_id", type: "VARCHAR" })).toBe("nominal");
    expect(inferFieldType({ name: "level", type: "INTEGER" })).toBe("ordinal");
    expect(inferFieldType({ name: "cases", type: "BIGINT" })).toBe("quantitative");
    expect(inferFieldType({ name: "reported_at", type: "TIMESTAMP" })).toBe("temporal");
  });

  test("a first chart for base-format rows is value over time, one line per location name", () => {
    const model = suggestModel(baseColumns);
    expect(model).toMatchObject({
      mark: "line",
      x: { field: "period_start", timeUnit: "yearmonth" },
      y: { field: "value", aggregate: "sum" },
      colour: { field: "district_name" },
    });
    const spec = buildSpec(model, baseColumns) as Spec;
    expect(spec.data).toEqual({ name: "result" });
    expect(spec.encoding.x).toEqual({
      field: "period_start",
      type: "temporal",
      timeUnit: "yearmonth",
      axis: { format: "%b %Y" },
    });
    expect(spec.encoding.color).toEqual({ field: "district_name", type: "nominal" });
  });

  test("without time, a category and a measure give a bar chart sorted by value", () => {
    const model = suggestModel([
      { name: "district_name", type: "VARCHAR" },
      { name: "value", type: "DOUBLE" },
    ]);
    const spec = buildSpec(model, []) as Spec;
    expect(spec.mark.type).toBe("bar");
    expect(spec.encoding.x.sort).toBe("-y");
  });
});

describe("every mark compiles and passes the Vega-Lite schema and the policy", () => {
  const model = suggestModel(baseColumns);
  for (const mark of markKinds) {
    test(mark, async () => {
      const spec = buildSpec({ ...model, mark, title: `A ${mark}` }, baseColumns);
      expect(() => compile(spec)).not.toThrow();
      const checked = await validateSpec(spec, { schema: await loadVegaLiteSchema() });
      expect(checked.ok ? [] : checked.problems).toEqual([]);
    });
  }
});

describe("mark-specific translation", () => {
  const x = { field: "district_name" };
  const y = { field: "value", aggregate: "sum" as const };
  const build = (m: Partial<ChartModel>) => buildSpec({ mark: "bar", ...m } as ChartModel, baseColumns) as Spec;

  test("pie: the measure is theta, the category is colour", () => {
    const spec = build({ mark: "pie", x, y });
    expect(spec.mark.type).toBe("arc");
    expect(spec.encoding.theta).toMatchObject({ field: "value", aggregate: "sum", stack: true });
    expect(spec.encoding.color).toMatchObject({ field: "district_name", type: "nominal" });
  });

  test("heatmap is rect; boxplot drops the aggregate it computes itself", () => {
    expect(build({ mark: "heatmap", x, y: { field: "period_start" }, colour: y }).mark.type).toBe("rect");
    const box = build({ mark: "boxplot", x, y });
    expect(box.mark.type).toBe("boxplot");
    expect(box.encoding.y.aggregate).toBeUndefined();
  });

  test("stack, sort, titles, formats and facet", () => {
    const spec = build({
      mark: "area",
      x: { field: "period_start", timeUnit: "year", format: "%Y", title: "Year" },
      y: { ...y, format: ",.0f" },
      colour: x,
      stack: "normalize",
      facet: { field: "location_id", columns: 2 },
      title: "Cases",
      subtitle: "by district",
    });
    expect(spec.encoding.y).toMatchObject({ stack: "normalize", axis: { format: ",.0f" } });
    expect(spec.encoding.x).toMatchObject({ timeUnit: "year", title: "Year", axis: { format: "%Y" } });
    expect(spec.encoding.facet).toMatchObject({ field: "location_id", columns: 2 });
    expect(spec.title).toEqual({ text: "Cases", subtitle: "by district" });
    expect(spec.width).toBe(200);
    expect(build({ mark: "bar", x: { ...x, sort: "by-value-ascending" }, y, stack: "none" }).encoding).toMatchObject({
      x: { sort: "y" },
      y: { stack: null },
    });
    expect(build({ mark: "bar", x: { ...x, sort: "descending" }, y }).encoding.x.sort).toBe("descending");
  });

  test("count needs no field", () => {
    expect(build({ x, y: { field: "value", aggregate: "count" } }).encoding.y).toEqual({
      type: "quantitative",
      aggregate: "count",
    });
  });
});

test("stored models are parsed, and a bad one is named", () => {
  expect(parseChartModel({ mark: "bar", x: { field: "a" } }).ok).toBe(true);
  expect(parseChartModel({ mark: "donut" })).toMatchObject({ ok: false, message: expect.stringContaining("chart model, mark") });
  expect(parseChartModel({ mark: "bar", x: { field: "" } })).toMatchObject({
    ok: false,
    message: expect.stringContaining("x.field"),
  });
});
