/**
 * A chart cell's settings live in the cell's Yjs `config` map, in the format published reports read
 * (app/reports/cell-results.server.ts): `source` = name of the SQL cell whose result is drawn, `chart` = the builder's
 * ChartModel, `spec` = raw Vega-Lite JSON text from the spec tab (when present it wins over `chart`). All three are
 * shared, untrusted content: they are parsed here before anything uses them.
 */
import type * as Y from "yjs";
import { type CellData, cellConfigMap, findCell, LOCAL_ORIGIN } from "../../../collab/index.ts";
import type { CellRun } from "../../../kernel/index.ts";
import {
  type ChartModel,
  type ColumnInfo,
  defaultEncoding,
  type EncodingChoice,
  parseChartModel,
  suggestModel,
} from "../../charts/builder.ts";
import { CHART_LIMITS } from "../../charts/limits.ts";

export interface ChartConfig {
  /** Name of the source SQL cell, or null when none is chosen. */
  source: string | null;
  /** The builder's model, or null when none is stored (the suggestion for the columns is shown instead). */
  chart: ChartModel | null;
  /** Why the stored model cannot be used (a co-editor's or an older version's content), or null. */
  chartProblem: string | null;
  /** The spec tab's text, or null when the chart follows the builder. */
  spec: string | null;
}

export function readChartConfig(config: Record<string, unknown>): ChartConfig {
  const source = typeof config.source === "string" && config.source.trim() ? config.source.trim() : null;
  const spec = typeof config.spec === "string" && config.spec.trim() ? config.spec : null;
  if (config.chart === undefined || config.chart === null) return { source, chart: null, chartProblem: null, spec };
  const parsed = parseChartModel(config.chart);
  return parsed.ok
    ? { source, chart: parsed.model, chartProblem: null, spec }
    : { source, chart: null, chartProblem: parsed.message, spec };
}

/** The SQL cells a chart can draw from: named ones, in notebook order. */
export function sourceCandidates(cells: readonly CellData[]): CellData[] {
  return cells.filter((c) => c.kind === "sql" && c.name);
}

/** The source cell by name (names are case-insensitive, as in SQL). */
export function sourceCellOf(config: ChartConfig, cells: readonly CellData[]): CellData | undefined {
  const name = config.source?.toLowerCase();
  return name ? sourceCandidates(cells).find((c) => c.name.toLowerCase() === name) : undefined;
}

/** Whether every field the model names is a column of the result (a model made for another source is not). */
export function modelFitsColumns(model: ChartModel, columns: readonly ColumnInfo[]): boolean {
  const names = new Set(columns.map((c) => c.name));
  return channels.every((channel) => {
    const choice = model[channel];
    return !choice || choice.aggregate === "count" || names.has(choice.field);
  });
}

/** The model the builder edits: the stored one, else the suggestion for the result's columns. */
export function modelFor(config: ChartConfig, columns: readonly ColumnInfo[]): ChartModel {
  return config.chart ?? suggestModel([...columns]);
}

// ---------------------------------------------------------------------------------------------------------------
// Builder edits: pure, so the form, undo and tests agree on what a change does.

export const channels = ["x", "y", "colour", "facet"] as const;
export type Channel = (typeof channels)[number];
export type EncodingOption = "type" | "aggregate" | "timeUnit" | "sort" | "title" | "format";

/** Puts a column on a channel with its defaults (period_start by month, value summed, names nominal); null clears it. */
export function withField(model: ChartModel, channel: Channel, field: string | null, columns: readonly ColumnInfo[]): ChartModel {
  const next = { ...model };
  if (field === null) {
    delete next[channel];
    return next;
  }
  const column = columns.find((c) => c.name === field) ?? { name: field, type: "VARCHAR" };
  const choice = defaultEncoding(column);
  // Colour and facet split the data: a summed measure there is rarely meant, a category is.
  if ((channel === "colour" || channel === "facet") && choice.aggregate) delete choice.aggregate;
  next[channel] = choice;
  return next;
}

/** Sets one option of a channel's encoding; "" or undefined removes it. */
export function withOption(model: ChartModel, channel: Channel, option: EncodingOption, value: string | undefined): ChartModel {
  const current = model[channel];
  if (!current) return model;
  const choice: Record<string, unknown> = { ...current };
  if (value === undefined || value === "") delete choice[option];
  else choice[option] = value;
  return { ...model, [channel]: choice as EncodingChoice };
}

/** Sets a top-level setting (mark, stack, title, subtitle, facet columns); "" or undefined removes optional ones. */
export function withSetting<K extends "mark" | "stack" | "title" | "subtitle">(
  model: ChartModel,
  key: K,
  value: ChartModel[K] | "" | undefined,
): ChartModel {
  const next = { ...model };
  if (value === undefined || value === "") {
    if (key !== "mark") delete next[key];
    return next;
  }
  return { ...next, [key]: value };
}

export function withFacetColumns(model: ChartModel, columns: number | undefined): ChartModel {
  if (!model.facet) return model;
  const facet = { ...model.facet };
  if (columns === undefined || !Number.isFinite(columns)) delete facet.columns;
  else facet.columns = Math.min(12, Math.max(1, Math.round(columns)));
  return { ...model, facet };
}

// ---------------------------------------------------------------------------------------------------------------
// What the chart can show now, from the source cell's run.

export type SourceState =
  | { kind: "no-source" }
  | { kind: "missing"; name: string }
  | { kind: "not-run"; name: string }
  | { kind: "waiting"; name: string }
  | { kind: "error"; name: string; message: string }
  | { kind: "empty"; name: string }
  | { kind: "too-many"; name: string; rows: number; limit: number }
  | { kind: "ready"; name: string; complete: boolean; stale: boolean };

/**
 * The source's state for the chart. `complete` is false when the run kept only the first rows for display and the
 * chart must read the rest from the engine; `stale` when the source is out of date or re-running (the last chart stays,
 * dimmed).
 */
export function sourceState(config: ChartConfig, source: CellData | undefined, run: CellRun | undefined): SourceState {
  if (!config.source) return { kind: "no-source" };
  if (!source) return { kind: "missing", name: config.source };
  const name = source.name;
  const status = run?.state.status ?? "idle";
  if (status === "error") return { kind: "error", name, message: run?.state.error?.message ?? "" };
  const result = run?.result;
  if (!result) return status === "queued" || status === "running" ? { kind: "waiting", name } : { kind: "not-run", name };
  if (result.totalRows === 0) return { kind: "empty", name };
  if (result.totalRows > CHART_LIMITS.resultRows)
    return { kind: "too-many", name, rows: result.totalRows, limit: CHART_LIMITS.resultRows };
  return { kind: "ready", name, complete: result.rows.length >= result.totalRows, stale: status !== "done" };
}

// ---------------------------------------------------------------------------------------------------------------
// Writes to the document.

const origins = new Map<string, object>();

/** This client's transaction origin for one chart cell's settings: its undo manager tracks exactly these changes. */
export function chartOrigin(cellId: string): object {
  let origin = origins.get(cellId);
  if (!origin) {
    origin = { chartCell: cellId };
    origins.set(cellId, origin);
  }
  return origin;
}

export interface ChartConfigPatch {
  source?: string | null;
  chart?: ChartModel | null;
  spec?: string | null;
}

/** Writes settings in one transaction (null deletes a key); a cell without a config map gets one. */
export function writeChartConfig(doc: Y.Doc, id: string, patch: ChartConfigPatch, origin: unknown = chartOrigin(id)): void {
  doc.transact(() => {
    const cell = findCell(doc, id);
    if (!cell) return;
    const map = cellConfigMap(cell);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null) map.delete(key);
      else map.set(key, value);
    }
  }, origin);
}

/**
 * Chooses the source cell. With its columns known, a stored model that does not fit them is replaced by the
 * suggestion (a chart of another result's columns would draw nothing); without them, another source's model is dropped.
 */
export function chooseSource(
  doc: Y.Doc,
  id: string,
  current: ChartConfig,
  source: string | null,
  columns: readonly ColumnInfo[] | null,
): void {
  const patch: ChartConfigPatch = { source };
  if (source && columns && columns.length > 0) {
    if (!(current.chart && modelFitsColumns(current.chart, columns))) patch.chart = suggestModel([...columns]);
  } else if (source && source.toLowerCase() !== current.source?.toLowerCase()) {
    // Columns unknown until the new source runs: the chart then starts from their suggestion (ChartEditor writes it).
    patch.chart = null;
  }
  writeChartConfig(doc, id, patch);
}

/** Charts follow their source cell when it is renamed. */
export function renameChartSources(doc: Y.Doc, cells: readonly CellData[], from: string, to: string): void {
  const charts = cells.filter(
    (c) => c.kind === "chart" && readChartConfig(c.config).source?.toLowerCase() === from.toLowerCase(),
  );
  if (charts.length === 0) return;
  doc.transact(() => {
    for (const chart of charts) writeChartConfig(doc, chart.id, { source: to }, LOCAL_ORIGIN);
  }, LOCAL_ORIGIN);
}
