/**
 * Computes each tile's content from the pinned notebook cells, with the publisher's dataset access: SQL cells run on
 * native DuckDB (upstream cells inlined as CTEs), chart cells render their source cell's rows to sanitized SVG,
 * markdown cells become sanitized HTML. A tile that fails keeps its error and the others still publish.
 */
import type { CellData } from "../../collab/index.ts";
import type { InputDefinition, InputValue } from "../../kernel/parameters/index.ts";
import { bindingsFor, inputDefinitionSchema } from "../../kernel/parameters/index.ts";
import { buildSpec, type ChartModel, parseChartModel } from "../charts/builder.ts";
import { CHART_LIMITS } from "../charts/limits.ts";
import type { MapChart } from "../charts/map-chart.ts";
import { renderChartSvg } from "../charts/render-server.ts";
import { parseSpecText } from "../charts/validate.ts";
import type { ParamValue } from "../exports/native-export.server.ts";
import { renderMarkdown } from "../notebook/components/markdown.ts";
import { inlineUpstream, type SqlCell } from "./inline-cells.ts";
import { runTileSql, TILE_ROW_LIMIT, type TileResult } from "./run-cell.server.ts";
import { tableRefsOf } from "./table-refs.server.ts";
import type { Tile, TileWidth } from "./tiles.ts";
import type { FixedInput } from "./variants.ts";

export interface CellRunContext {
  cells: readonly CellData[];
  /** Slugs the publisher may read. */
  datasetSlugs: readonly string[];
  /** The file the publisher may read for a slug (whole version or their slice), pinning its version. */
  fileFor(slug: string): Promise<string>;
  /** Chart width in pixels for specs that ask for the container's width. */
  chartWidth?: (width: TileWidth) => number;
  /** Linked cells that cannot run (app/library/linked-cells.server.ts): they and the cells reading them fail so. */
  linkProblems?: ReadonlyMap<string, string>;
  /** Map charts: the rows joined to their locations' boundaries (app/charts/map-locations.server.ts, from SQLite). */
  mapChart?: (model: ChartModel, rows: readonly Record<string, unknown>[]) => MapChart;
}

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** The notebook's input definitions (untrusted document content: those that do not parse are left out). */
export function inputDefinitionsOf(cells: readonly CellData[]): InputDefinition[] {
  const defs: InputDefinition[] = [];
  for (const cell of cells) {
    if (cell.kind !== "input") continue;
    const parsed = inputDefinitionSchema.safeParse({ type: "text", ...cell.config, name: cell.name });
    if (parsed.success) defs.push(parsed.data);
  }
  return defs;
}

/**
 * Inputs are published at their default values, except those offered as variants, which take the variant's values
 * (docs/decisions/0009-report-inputs.md).
 */
function bindings(defs: readonly InputDefinition[], values: Readonly<Record<string, InputValue>>): Record<string, ParamValue> {
  try {
    return bindingsFor(defs, values) as Record<string, ParamValue>;
  } catch {
    return {};
  }
}

/** How an input's bound value reads on the report ("Bo", "2024-01-01, 2024-03-31"). */
export function shownValue(value: ParamValue | undefined): string {
  return value === undefined || value === null ? "—" : Array.isArray(value) ? value.join(", ") : String(value);
}

/** The inputs published at their defaults (all but `offered`), as facts for the report's header. */
export function fixedInputsOf(defs: readonly InputDefinition[], offered: readonly string[]): FixedInput[] {
  const params = bindings(defs, {});
  return defs
    .filter((d) => !offered.includes(d.name))
    .map((d) => ({ name: d.name, label: d.label ?? d.name, value: shownValue(params[d.name]) }));
}

export async function createCellRunner(context: CellRunContext) {
  const sqlCells: SqlCell[] = [];
  const parseErrors = new Map<string, string>();
  for (const cell of context.cells) {
    if (cell.kind !== "sql" || !cell.name) continue;
    const refs = await tableRefsOf(cell.source);
    if (!refs.ok) parseErrors.set(cell.id, refs.message);
    sqlCells.push({ id: cell.id, name: cell.name, sql: cell.source, tables: refs.ok ? refs.tables : [] });
  }
  const defs = inputDefinitionsOf(context.cells);
  const usedDatasets = new Set<string>();

  async function runSql(cellId: string, limit: number, params: Record<string, ParamValue>): Promise<TileResult> {
    const parseError = parseErrors.get(cellId);
    if (parseError) throw new Error(parseError);
    const plan = inlineUpstream(sqlCells, cellId, context.datasetSlugs);
    if (!plan.ok) throw new Error(plan.message);
    for (const id of [cellId, ...plan.upstream.map((name) => sqlCells.find((c) => c.name === name)?.id)]) {
      const problem = id && context.linkProblems?.get(id);
      if (problem) throw new Error(problem);
    }
    const datasets: Record<string, string> = {};
    for (const slug of plan.datasets) {
      datasets[slug] = await context.fileFor(slug);
      usedDatasets.add(slug);
    }
    return runTileSql({ sql: plan.sql, params, datasets, limit });
  }

  /** The SQL cell whose rows a chart cell draws (its `config.source`, else its text as a cell name). */
  function chartSource(cell: CellData): SqlCell | undefined {
    const sourceName = typeof cell.config.source === "string" && cell.config.source ? cell.config.source : cell.source.trim();
    return sqlCells.find((c) => c.name.toLowerCase() === sourceName.toLowerCase());
  }

  /**
   * Whether the tile for `cell` can depend on any of the `$names` (its SQL with the upstream cells inlined mentions one).
   * A textual match is conservative: a `$name` inside a comment or string only costs a needless run, never a wrong tile.
   */
  function readsParameters(cell: CellData, names: readonly string[]): boolean {
    if (cell.kind === "markdown") return false;
    if (cell.kind === "input") return names.some((n) => n.toLowerCase() === cell.name.toLowerCase());
    const sqlCell = cell.kind === "sql" ? sqlCells.find((c) => c.id === cell.id) : chartSource(cell);
    if (!sqlCell) return false;
    const plan = inlineUpstream(sqlCells, sqlCell.id, context.datasetSlugs);
    if (!plan.ok) return false;
    return names.some((name) => new RegExp(`\\$${name.replace(/[^\w]/g, "")}(?!\\w)`, "i").test(plan.sql));
  }

  /** The tile for `cell` with the inputs at `values` (the others at their defaults). */
  async function tileFor(
    cell: CellData,
    id: string,
    width: TileWidth,
    values: Readonly<Record<string, InputValue>> = {},
  ): Promise<Tile> {
    const params = bindings(defs, values);
    const base = { id, cellId: cell.id, title: cell.name, width };
    const failed = (message: string): Tile => ({ ...base, kind: "table", columns: [], rows: [], totalRows: 0, error: message });
    try {
      if (cell.kind === "markdown") return { ...base, kind: "markdown", html: renderMarkdown(cell.source) };
      if (cell.kind === "input") {
        const shown = shownValue(params[cell.name]);
        return { ...base, kind: "markdown", html: `<p><strong>${escapeHtml(cell.name)}</strong>: ${escapeHtml(shown)}</p>` };
      }
      if (cell.kind === "sql") {
        const result = await runSql(cell.id, TILE_ROW_LIMIT, params);
        return { ...base, kind: "table", ...result };
      }
      return await chartTile(cell, base, params);
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
  }

  async function chartTile(
    cell: CellData,
    base: { id: string; cellId: string; title: string; width: TileWidth },
    params: Record<string, ParamValue>,
  ): Promise<Tile> {
    const config = cell.config;
    const source = chartSource(cell);
    const sourceName = typeof config.source === "string" && config.source ? config.source : cell.source.trim();
    if (!source) throw new Error(`chart \`${cell.name}\`: its source cell \`${sourceName}\` is not a SQL cell of the notebook`);
    const result = await runSql(source.id, CHART_LIMITS.resultRows, params);
    let spec: unknown;
    let chartData: object[] | undefined;
    const handWritten = typeof config.spec === "string" && config.spec.trim() ? config.spec : null;
    const model = parseChartModel(config.chart);
    if (handWritten) {
      const parsed = parseSpecText(handWritten);
      if (!parsed.ok) throw new Error(`chart \`${cell.name}\`: ${parsed.problems[0]?.message}`);
      spec = parsed.value;
    } else {
      if (!model.ok) throw new Error(`chart \`${cell.name}\`: ${model.message}`);
      spec = buildSpec(model.model, result.columns);
    }
    if (model.ok && model.model.mark === "map") {
      // Boundaries are inlined as the chart's data, never fetched by URL (docs/decisions/0011-maps.md); a map's spec
      // tab changes how it is drawn, not what.
      const map = context.mapChart?.(model.model, result.rows) ?? { problem: "map: no location boundaries here" };
      if ("problem" in map) throw new Error(`chart \`${cell.name}\`: ${map.problem}`);
      if (!handWritten) spec = map.spec;
      chartData = map.data;
    }
    const rendered = await renderChartSvg(spec as object, chartData ?? result.rows, {
      width: context.chartWidth?.(base.width) ?? 640,
    });
    if (!rendered.ok) throw new Error(`chart \`${cell.name}\`: ${rendered.problems.map((p) => p.message).join("; ")}`);
    return {
      ...base,
      kind: "chart",
      svg: rendered.svg,
      spec,
      ...(chartData ? { chartData } : {}),
      columns: result.columns,
      rows: result.rows.slice(0, TILE_ROW_LIMIT),
      totalRows: result.totalRows,
    };
  }

  return { tileFor, readsParameters, inputDefinitions: () => defs, usedDatasets: () => [...usedDatasets].sort() };
}
