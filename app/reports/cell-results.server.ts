/**
 * Computes each tile's content from the pinned notebook cells, with the publisher's dataset access: SQL cells run on
 * native DuckDB (upstream cells inlined as CTEs), chart cells render their source cell's rows to sanitized SVG,
 * markdown cells become sanitized HTML. A tile that fails keeps its error and the others still publish.
 */
import type { CellData } from "../../collab/index.ts";
import type { InputDefinition } from "../../kernel/parameters/index.ts";
import { bindingsFor, inputDefinitionSchema } from "../../kernel/parameters/index.ts";
import { buildSpec, parseChartModel } from "../charts/builder.ts";
import { CHART_LIMITS } from "../charts/limits.ts";
import { renderChartSvg } from "../charts/render-server.ts";
import { parseSpecText } from "../charts/validate.ts";
import type { ParamValue } from "../exports/native-export.server.ts";
import { renderMarkdown } from "../notebook/components/markdown.ts";
import { inlineUpstream, type SqlCell } from "./inline-cells.ts";
import { runTileSql, TILE_ROW_LIMIT, type TileResult } from "./run-cell.server.ts";
import { tableRefsOf } from "./table-refs.server.ts";
import type { Tile, TileWidth } from "./tiles.ts";

export interface CellRunContext {
  cells: readonly CellData[];
  /** Slugs the publisher may read. */
  datasetSlugs: readonly string[];
  /** The file the publisher may read for a slug (whole version or their slice), pinning its version. */
  fileFor(slug: string): Promise<string>;
  /** Chart width in pixels for specs that ask for the container's width. */
  chartWidth?: (width: TileWidth) => number;
}

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Inputs are published with their default values (docs/decisions/0009-report-inputs.md). */
function inputDefaults(cells: readonly CellData[]): Record<string, ParamValue> {
  const defs: InputDefinition[] = [];
  for (const cell of cells) {
    if (cell.kind !== "input") continue;
    const parsed = inputDefinitionSchema.safeParse({ type: "text", ...cell.config, name: cell.name });
    if (parsed.success) defs.push(parsed.data);
  }
  try {
    return bindingsFor(defs, {}) as Record<string, ParamValue>;
  } catch {
    return {};
  }
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
  const params = inputDefaults(context.cells);
  const usedDatasets = new Set<string>();

  async function runSql(cellId: string, limit: number): Promise<TileResult> {
    const parseError = parseErrors.get(cellId);
    if (parseError) throw new Error(parseError);
    const plan = inlineUpstream(sqlCells, cellId, context.datasetSlugs);
    if (!plan.ok) throw new Error(plan.message);
    const datasets: Record<string, string> = {};
    for (const slug of plan.datasets) {
      datasets[slug] = await context.fileFor(slug);
      usedDatasets.add(slug);
    }
    return runTileSql({ sql: plan.sql, params, datasets, limit });
  }

  async function tileFor(cell: CellData, id: string, width: TileWidth): Promise<Tile> {
    const base = { id, cellId: cell.id, title: cell.name, width };
    const failed = (message: string): Tile => ({ ...base, kind: "table", columns: [], rows: [], totalRows: 0, error: message });
    try {
      if (cell.kind === "markdown") return { ...base, kind: "markdown", html: renderMarkdown(cell.source) };
      if (cell.kind === "input") {
        const value = params[cell.name];
        const shown = value === undefined ? "—" : Array.isArray(value) ? value.join(", ") : String(value);
        return { ...base, kind: "markdown", html: `<p><strong>${escapeHtml(cell.name)}</strong>: ${escapeHtml(shown)}</p>` };
      }
      if (cell.kind === "sql") {
        const result = await runSql(cell.id, TILE_ROW_LIMIT);
        return { ...base, kind: "table", ...result };
      }
      return await chartTile(cell, base);
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
  }

  async function chartTile(cell: CellData, base: { id: string; cellId: string; title: string; width: TileWidth }): Promise<Tile> {
    const config = cell.config;
    const sourceName = typeof config.source === "string" && config.source ? config.source : cell.source.trim();
    const source = sqlCells.find((c) => c.name.toLowerCase() === sourceName.toLowerCase());
    if (!source) throw new Error(`chart \`${cell.name}\`: its source cell \`${sourceName}\` is not a SQL cell of the notebook`);
    const result = await runSql(source.id, CHART_LIMITS.resultRows);
    let spec: unknown;
    if (typeof config.spec === "string" && config.spec.trim()) {
      const parsed = parseSpecText(config.spec);
      if (!parsed.ok) throw new Error(`chart \`${cell.name}\`: ${parsed.problems[0]?.message}`);
      spec = parsed.value;
    } else {
      const model = parseChartModel(config.chart);
      if (!model.ok) throw new Error(`chart \`${cell.name}\`: ${model.message}`);
      spec = buildSpec(model.model, result.columns);
    }
    const rendered = await renderChartSvg(spec as object, result.rows, { width: context.chartWidth?.(base.width) ?? 640 });
    if (!rendered.ok) throw new Error(`chart \`${cell.name}\`: ${rendered.problems.map((p) => p.message).join("; ")}`);
    return {
      ...base,
      kind: "chart",
      svg: rendered.svg,
      spec,
      columns: result.columns,
      rows: result.rows.slice(0, TILE_ROW_LIMIT),
      totalRows: result.totalRows,
    };
  }

  return { tileFor, usedDatasets: () => [...usedDatasets].sort() };
}
