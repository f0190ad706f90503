import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addCell, type CellData, findCell, readCells } from "../../../collab/index.ts";
import type { CellRun } from "../../../kernel/index.ts";
import { buildSpec, type ChartModel, suggestModel } from "../../charts/builder.ts";
import { CHART_LIMITS } from "../../charts/limits.ts";
import {
  chartOrigin,
  chooseSource,
  modelFitsColumns,
  modelFor,
  readChartConfig,
  renameChartSources,
  sourceCellOf,
  sourceState,
  withFacetColumns,
  withField,
  withOption,
  withSetting,
  writeChartConfig,
} from "./chart-config.ts";

const columns = [
  { name: "period_start", type: "DATE" },
  { name: "district_name", type: "VARCHAR" },
  { name: "value", type: "DOUBLE" },
];

function notebook() {
  const doc = new Y.Doc();
  const sql = addCell(doc, 0, { kind: "sql", name: "cases", source: "SELECT 1" });
  const chart = addCell(doc, 1, { kind: "chart", name: "chart1" });
  const config = () => readChartConfig(readCells(doc).find((c) => c.id === chart)?.config ?? {});
  return { doc, sql, chart, config };
}

function run(status: CellRun["state"]["status"], totalRows: number | null, shown = totalRows ?? 0, message?: string): CellRun {
  return {
    state: {
      status,
      runId: 1,
      hasResult: totalRows !== null,
      error: message ? { message } : null,
      elapsedMs: 3,
      rowCount: totalRows,
    },
    result:
      totalRows === null
        ? null
        : {
            columns,
            rows: Array.from({ length: shown }, (_, i) => ({ period_start: "2024-01-01", district_name: `d${i}`, value: i })),
            totalRows,
            truncated: shown < totalRows,
            elapsedMs: 3,
          },
    problems: [],
  };
}

describe("chart config in the document ↔ model", () => {
  it("reads the report's format: source name, builder model, spec text", () => {
    const model: ChartModel = { mark: "bar", x: { field: "district_name", type: "nominal" } };
    expect(readChartConfig({ source: " cases ", chart: model, spec: '{"mark":"bar"}' })).toEqual({
      source: "cases",
      chart: model,
      chartProblem: null,
      spec: '{"mark":"bar"}',
    });
    expect(readChartConfig({})).toEqual({ source: null, chart: null, chartProblem: null, spec: null });
    // A blank spec is no spec: the chart follows the builder.
    expect(readChartConfig({ spec: "  \n" }).spec).toBeNull();
  });

  it("names what is wrong with an untrusted stored model instead of using it", () => {
    const config = readChartConfig({ source: "cases", chart: { mark: "sunburst" } });
    expect(config.chart).toBeNull();
    expect(config.chartProblem).toMatch(/^chart model, mark: /);
    expect(readChartConfig({ chart: { mark: "bar", x: { field: "" } } }).chartProblem).toMatch(/x\.field/);
  });

  it("defaults to the suggestion: period_start by month on x, value summed on y, location names as colour", () => {
    const model = modelFor(readChartConfig({ source: "cases" }), columns);
    expect(model).toEqual(suggestModel(columns));
    expect(model.mark).toBe("line");
    expect(model.x).toMatchObject({ field: "period_start", type: "temporal", timeUnit: "yearmonth" });
    expect(model.y).toMatchObject({ field: "value", type: "quantitative", aggregate: "sum" });
    expect(model.colour).toMatchObject({ field: "district_name", type: "nominal" });
  });

  it("writes and deletes keys in one transaction, under the cell's own origin", () => {
    const { doc, chart, config } = notebook();
    const origins: unknown[] = [];
    doc.on("afterTransaction", (tr: Y.Transaction) => origins.push(tr.origin));
    const model = suggestModel(columns);
    writeChartConfig(doc, chart, { source: "cases", chart: model, spec: "{}" });
    expect(config()).toMatchObject({ source: "cases", chart: model, spec: "{}" });
    writeChartConfig(doc, chart, { spec: null });
    expect(config().spec).toBeNull();
    expect(findCell(doc, chart)?.get("config")).toBeInstanceOf(Y.Map);
    expect(origins).toEqual([chartOrigin(chart), chartOrigin(chart)]);
    expect(chartOrigin(chart)).toBe(chartOrigin(chart));
  });

  it("choosing a source with known columns stores their suggestion unless the model already fits", () => {
    const { doc, chart, config } = notebook();
    chooseSource(doc, chart, config(), "cases", columns);
    expect(config()).toMatchObject({ source: "cases", chart: suggestModel(columns) });
    const custom = { mark: "bar" as const, x: { field: "district_name" }, y: { field: "value", aggregate: "max" as const } };
    writeChartConfig(doc, chart, { chart: custom });
    chooseSource(doc, chart, config(), "cases", columns);
    expect(config().chart).toEqual(custom);
    // Another source whose columns are not known yet: the old model is dropped (the suggestion follows its first run).
    chooseSource(doc, chart, config(), "other", null);
    expect(config()).toMatchObject({ source: "other", chart: null });
  });

  it("checks that a model names only columns of the result (count needs none)", () => {
    expect(modelFitsColumns(suggestModel(columns), columns)).toBe(true);
    expect(modelFitsColumns({ mark: "bar", x: { field: "chiefdom" } }, columns)).toBe(false);
    expect(modelFitsColumns({ mark: "bar", x: { field: "value" }, y: { field: "*", aggregate: "count" } }, columns)).toBe(true);
  });

  it("follows a renamed source cell", () => {
    const { doc, chart, config } = notebook();
    writeChartConfig(doc, chart, { source: "Cases" });
    renameChartSources(doc, readCells(doc), "cases", "malaria");
    expect(config().source).toBe("malaria");
    const cells = readCells(doc).map((c) => (c.kind === "sql" ? { ...c, name: "malaria" } : c));
    expect(sourceCellOf(config(), cells)?.kind).toBe("sql");
  });
});

describe("builder edits", () => {
  const base = suggestModel(columns);

  it("puts a column on a channel with its defaults; colour and facet are not summed", () => {
    expect(withField(base, "x", "district_name", columns).x).toEqual({ field: "district_name", type: "nominal" });
    expect(withField(base, "y", "value", columns).y).toMatchObject({ aggregate: "sum" });
    expect(withField(base, "colour", "value", columns).colour).toEqual({
      field: "value",
      type: "quantitative",
      format: ",.4~f",
    });
    expect(withField(base, "colour", null, columns).colour).toBeUndefined();
  });

  it("sets and clears options and settings; the result is still a valid model that builds a spec", () => {
    let model = withSetting(base, "mark", "bar");
    model = withOption(model, "y", "title", "Confirmed cases");
    model = withOption(model, "x", "timeUnit", "year");
    model = withOption(model, "x", "format", "");
    model = withSetting(model, "title", "Malaria");
    model = withSetting(model, "stack", "normalize");
    model = withField(model, "facet", "district_name", columns);
    model = withFacetColumns(model, 40);
    expect(model).toMatchObject({
      mark: "bar",
      title: "Malaria",
      stack: "normalize",
      x: { field: "period_start", timeUnit: "year" },
      y: { title: "Confirmed cases" },
      facet: { field: "district_name", columns: 12 },
    });
    expect(model.x?.format).toBeUndefined();
    expect(readChartConfig({ chart: model }).chartProblem).toBeNull();
    const spec = buildSpec(model, columns) as unknown as { encoding: Record<string, Record<string, unknown>> };
    expect(spec.encoding.y).toMatchObject({ title: "Confirmed cases", stack: "normalize" });
    expect(withSetting(model, "title", "").title).toBeUndefined();
    // An option on an empty channel changes nothing.
    expect(withOption(withField(model, "colour", null, columns), "colour", "title", "x").colour).toBeUndefined();
  });
});

describe("what the chart can show", () => {
  const config = readChartConfig({ source: "cases" });
  const source = { id: "c1", kind: "sql", name: "cases", source: "", config: {}, order: "a" } as CellData;

  it("says when there is no source, it is gone, not run, running, failed or empty", () => {
    expect(sourceState(readChartConfig({}), undefined, undefined)).toEqual({ kind: "no-source" });
    expect(sourceState(config, undefined, undefined)).toEqual({ kind: "missing", name: "cases" });
    expect(sourceState(config, source, undefined)).toEqual({ kind: "not-run", name: "cases" });
    expect(sourceState(config, source, run("running", null))).toEqual({ kind: "waiting", name: "cases" });
    expect(sourceState(config, source, run("error", 3, 3, "Binder Error: x"))).toEqual({
      kind: "error",
      name: "cases",
      message: "Binder Error: x",
    });
    expect(sourceState(config, source, run("done", 0))).toEqual({ kind: "empty", name: "cases" });
  });

  it("draws a result, dimmed while it is out of date, and asks the engine for rows beyond those kept for display", () => {
    expect(sourceState(config, source, run("done", 5))).toEqual({ kind: "ready", name: "cases", complete: true, stale: false });
    expect(sourceState(config, source, run("stale", 5))).toMatchObject({ kind: "ready", stale: true });
    expect(sourceState(config, source, run("done", 20_000, 10))).toMatchObject({ kind: "ready", complete: false });
  });

  it("refuses more rows than a chart renders", () => {
    const total = CHART_LIMITS.resultRows + 1;
    expect(sourceState(config, source, run("done", total, 10))).toEqual({
      kind: "too-many",
      name: "cases",
      rows: total,
      limit: CHART_LIMITS.resultRows,
    });
  });
});
