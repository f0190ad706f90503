import type { TopLevelSpec } from "vega-lite";
import { z } from "zod";
import { CHART_DATA_NAME } from "./limits.ts";
import { buildMapSpec, mapChoiceOf, mapSettingsSchema } from "./map-spec.ts";

/**
 * The chart builder's model (what a chart cell stores in its config) and its translation to Vega-Lite. Pure: the same model
 * and columns always give the same spec, so chart cells, published reports and tests agree.
 */

/** "map" is a choropleth by location (map-spec.ts): its rows are GeoJSON features joined by map-chart.ts. */
export const markKinds = ["bar", "line", "area", "point", "heatmap", "pie", "boxplot", "map"] as const;
export const fieldTypes = ["quantitative", "temporal", "nominal", "ordinal"] as const;
export const aggregates = ["none", "sum", "mean", "median", "min", "max", "count", "distinct"] as const;
export const timeUnits = ["none", "year", "yearquarter", "yearmonth", "yearmonthdate", "yearweek", "quarter", "month"] as const;
export const sortOrders = ["none", "ascending", "descending", "by-value-ascending", "by-value-descending"] as const;
export const stackModes = ["zero", "normalize", "center", "none"] as const;

const name = z.string().min(1).max(200);

export const encodingChoiceSchema = z.object({
  field: name,
  type: z.enum(fieldTypes).optional(),
  aggregate: z.enum(aggregates).optional(),
  timeUnit: z.enum(timeUnits).optional(),
  sort: z.enum(sortOrders).optional(),
  title: z.string().max(200).optional(),
  /** d3-format for numbers (",.0f", ".1%") or d3-time-format for dates ("%b %Y"). */
  format: z.string().max(50).optional(),
});

export const chartModelSchema = z.object({
  mark: z.enum(markKinds),
  x: encodingChoiceSchema.optional(),
  y: encodingChoiceSchema.optional(),
  colour: encodingChoiceSchema.optional(),
  facet: encodingChoiceSchema.extend({ columns: z.number().int().min(1).max(12).optional() }).optional(),
  stack: z.enum(stackModes).optional(),
  /** The choropleth's colours, and optionally its location and value columns (mark "map"); else x is the location, y the value. */
  map: mapSettingsSchema.optional(),
  title: z.string().max(300).optional(),
  subtitle: z.string().max(300).optional(),
  width: z.number().int().min(50).max(2000).optional(),
  height: z.number().int().min(50).max(2000).optional(),
});

export type EncodingChoice = z.infer<typeof encodingChoiceSchema>;
export type ChartModel = z.infer<typeof chartModelSchema>;
export type FieldType = (typeof fieldTypes)[number];

/** A result column as the notebook knows it: its name and its engine type ("DOUBLE", "DATE", "VARCHAR", or "number"…). */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** Parses an untrusted stored model (chart configs live in a shared document), naming the first bad field. */
export function parseChartModel(input: unknown): { ok: true; model: ChartModel } | { ok: false; message: string } {
  const parsed = chartModelSchema.safeParse(input);
  if (parsed.success) return { ok: true, model: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `chart model, ${issue.path.join(".") || "(root)"}: ${issue.message}` };
}

const temporalNames = new Set(["period_start", "period_end"]);
const identifierNames = new Set(["location_id", "period_id", "field_id", "parent_id", "source", "period_type"]);

/** Field type from the column's name first (base-format columns), then from its engine type. */
export function inferFieldType(column: ColumnInfo): FieldType {
  const n = column.name.toLowerCase();
  if (temporalNames.has(n)) return "temporal";
  if (identifierNames.has(n) || isLocationName(n)) return "nominal";
  if (n === "level") return "ordinal";
  const t = column.type.toUpperCase();
  if (/DATE|TIME/.test(t)) return "temporal";
  if (/INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC|NUMBER/.test(t)) return "quantitative";
  return "nominal";
}

/** Location names: `name`, `location_name`, `level_name` and the per-level `<level>_name` columns of `locations`. */
export function isLocationName(columnName: string): boolean {
  const n = columnName.toLowerCase();
  return n === "name" || n.endsWith("_name") || ["district", "region", "province", "facility", "country"].includes(n);
}

/** The encoding a column gets when dropped on a channel: `period_start` by month, `value` summed, names nominal. */
export function defaultEncoding(column: ColumnInfo): EncodingChoice {
  const type = inferFieldType(column);
  if (type === "temporal") return { field: column.name, type, timeUnit: "yearmonth", format: "%b %Y" };
  if (type === "quantitative") return { field: column.name, type, aggregate: "sum", format: ",.4~f" };
  return { field: column.name, type };
}

/** A first chart for a result: `value` over `period_start` as a line, coloured by a location name when there is one. */
export function suggestModel(columns: ColumnInfo[]): ChartModel {
  const byName = (n: string) => columns.find((c) => c.name.toLowerCase() === n);
  const time = byName("period_start") ?? columns.find((c) => inferFieldType(c) === "temporal");
  const measure = byName("value") ?? columns.find((c) => inferFieldType(c) === "quantitative");
  const place = columns.find((c) => isLocationName(c.name));
  const category = place ?? columns.find((c) => inferFieldType(c) === "nominal");
  if (time && measure) {
    return {
      mark: "line",
      x: defaultEncoding(time),
      y: defaultEncoding(measure),
      ...(category ? { colour: defaultEncoding(category) } : {}),
    };
  }
  if (category && measure) {
    return { mark: "bar", x: { ...defaultEncoding(category), sort: "by-value-descending" }, y: defaultEncoding(measure) };
  }
  const first = columns[0];
  return first
    ? { mark: "bar", x: defaultEncoding(first), y: { field: first.name, aggregate: "count", type: "quantitative" } }
    : { mark: "bar" };
}

type Channel = Record<string, unknown>;

/** One Vega-Lite field definition from a choice; `other` is the channel a "by value" sort refers to. */
function fieldDef(choice: EncodingChoice, columns: ColumnInfo[], other: "x" | "y" | null): Channel {
  const column = columns.find((c) => c.name === choice.field);
  const type = choice.type ?? (column ? inferFieldType(column) : "nominal");
  const def: Channel = { field: choice.field, type };
  if (choice.aggregate && choice.aggregate !== "none") def.aggregate = choice.aggregate;
  if (choice.aggregate === "count") delete def.field;
  if (type === "temporal" && choice.timeUnit && choice.timeUnit !== "none") def.timeUnit = choice.timeUnit;
  if (choice.title !== undefined) def.title = choice.title;
  if (choice.sort === "ascending") def.sort = "ascending";
  if (choice.sort === "descending") def.sort = "descending";
  if (other && choice.sort === "by-value-ascending") def.sort = other;
  if (other && choice.sort === "by-value-descending") def.sort = `-${other}`;
  if (choice.format) {
    // Vega-Lite reads `format` as d3-time-format for temporal fields and d3-format otherwise.
    def.axis = { format: choice.format };
  }
  return def;
}

function legendFormat(def: Channel): Channel {
  const { axis, ...rest } = def as Channel & { axis?: { format: string } };
  return axis ? { ...rest, legend: { format: axis.format } } : rest;
}

function tooltipOf(def: Channel | undefined): Channel[] {
  if (!def) return [];
  const { axis, legend, sort: _sort, ...rest } = def as Channel & { axis?: { format: string }; legend?: { format: string } };
  const format = axis?.format ?? legend?.format;
  return [format ? { ...rest, format } : rest];
}

/** The Vega-Lite spec for a model over a result with these columns. Data comes in as the named data set `result`. */
export function buildSpec(model: ChartModel, columns: ColumnInfo[]): TopLevelSpec {
  if (model.mark === "map") {
    // Without columns chosen yet, the base format's own: location_id and value.
    return buildMapSpec(mapChoiceOf(model) ?? { location: "location_id", value: "value" }, model);
  }
  const x = model.x ? fieldDef(model.x, columns, "y") : undefined;
  const y = model.y ? fieldDef(model.y, columns, "x") : undefined;
  const colour = model.colour ? legendFormat(fieldDef(model.colour, columns, null)) : undefined;
  const encoding: Record<string, unknown> = {};
  let mark: Record<string, unknown>;

  switch (model.mark) {
    case "pie": {
      // A pie shows one measure (theta) split by one category (colour): the builder's x is the category, y the measure.
      mark = { type: "arc", tooltip: true };
      if (y) encoding.theta = { ...y, stack: true, axis: undefined };
      const split = colour ?? (x ? legendFormat(x) : undefined);
      if (split) encoding.color = { ...split, sort: undefined };
      break;
    }
    case "heatmap": {
      mark = { type: "rect", tooltip: true };
      if (x) encoding.x = x;
      if (y) encoding.y = y;
      if (colour) encoding.color = colour;
      break;
    }
    case "boxplot": {
      // The boxplot aggregates by itself: a summed measure would be one point per box.
      mark = { type: "boxplot", extent: 1.5 };
      if (x) encoding.x = x;
      if (y) encoding.y = { ...y, aggregate: undefined };
      if (colour) encoding.color = colour;
      break;
    }
    default: {
      mark = { type: model.mark, tooltip: true };
      if (model.mark === "line") mark.point = true;
      if (x) encoding.x = x;
      if (y) encoding.y = y;
      if (colour) encoding.color = colour;
      const stackable = model.mark === "bar" || model.mark === "area";
      if (stackable && model.stack && y && y.type === "quantitative") {
        encoding.y = { ...y, stack: model.stack === "none" ? null : model.stack };
      }
      if (model.mark !== "line") encoding.tooltip = [...tooltipOf(x), ...tooltipOf(y), ...tooltipOf(colour)];
    }
  }
  if (model.facet) {
    const { columns: wrap, ...choice } = model.facet;
    encoding.facet = { ...fieldDef(choice, columns, null), columns: wrap ?? 3, axis: undefined };
  }

  const spec: Record<string, unknown> = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { name: CHART_DATA_NAME },
    mark,
    encoding: dropUndefined(encoding),
  };
  if (model.title) spec.title = model.subtitle ? { text: model.title, subtitle: model.subtitle } : model.title;
  // Faceted charts size each panel; a single chart fills its container's width unless told otherwise.
  spec.width = model.width ?? (model.facet ? 200 : "container");
  spec.height = model.height ?? (model.facet ? 150 : 300);
  return spec as unknown as TopLevelSpec;
}

function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
