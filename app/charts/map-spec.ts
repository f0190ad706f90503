import type { TopLevelSpec } from "vega-lite";
import { z } from "zod";
import { CHART_DATA_NAME } from "./limits.ts";
import type { LocationFeature } from "./map-geometry.ts";

/**
 * The choropleth: which result column names the location, which holds the value, how rows of one location combine, and
 * the colour scheme. The geometry is never in the spec: the rows handed to Vega as the `result` data set are GeoJSON
 * features (the location's boundary with the combined value in its properties), built by `joinRowsToFeatures`.
 */

export const mapAggregates = ["sum", "mean", "min", "max", "count"] as const;
/** Sequential Vega schemes that read on paper and for common colour-vision deficiencies. */
export const mapSchemes = ["blues", "greens", "oranges", "reds", "purples", "viridis"] as const;

export const mapChoiceSchema = z.object({
  /** The result column naming the location: a `location_id` (DHIS2 uid) or a name. */
  location: z.string().min(1).max(200),
  /** How that column's values are matched: by id or by name; inferred from the column name when absent. */
  matchBy: z.enum(["id", "name"]).optional(),
  value: z.string().min(1).max(200),
  aggregate: z.enum(mapAggregates).optional(),
  scheme: z.enum(mapSchemes).optional(),
  /** d3-format for the legend and tooltip (",.0f", ".1%"). */
  format: z.string().max(50).optional(),
});

export type MapChoice = z.infer<typeof mapChoiceSchema>;

/**
 * What a chart model stores under `map`: any of the choice's fields. The builder keeps the location and value on its X
 * and Y channels and stores only the colours here; a hand-written model may name them all.
 */
export const mapSettingsSchema = mapChoiceSchema.partial();
export type MapSettings = z.infer<typeof mapSettingsSchema>;

/** `location_id`, `parent_id`, `district_id`…: matched by id; anything else by name. */
export function matchByOf(choice: Pick<MapChoice, "location" | "matchBy">): "id" | "name" {
  return choice.matchBy ?? (/(^|_)id$/i.test(choice.location) ? "id" : "name");
}

/** The choice the builder offers first: `location_id` (or a location name) and `value`. */
export function suggestMapChoice(columns: readonly { name: string; type: string }[]): MapChoice | null {
  const byName = (n: string) => columns.find((c) => c.name.toLowerCase() === n);
  const location =
    byName("location_id") ??
    columns.find((c) => /(^|_)name$/i.test(c.name) || ["district", "chiefdom", "region"].includes(c.name.toLowerCase()));
  const value =
    byName("value") ?? columns.find((c) => /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC|NUMBER/i.test(c.type) && c !== location);
  return location && value ? { location: location.name, value: value.name } : null;
}

/** The model fields a map reads (structural, so this module does not import the builder). */
interface MapModelLike {
  map?: MapSettings;
  x?: { field: string };
  y?: { field: string; aggregate?: string; format?: string };
}

/**
 * The map choice of a model: its `map` settings, completed from the builder's channels (X the location, Y the value
 * with its aggregate and format); null while the location or the value is not chosen.
 */
export function mapChoiceOf(model: MapModelLike): MapChoice | null {
  const settings = model.map ?? {};
  const location = settings.location ?? model.x?.field;
  const value = settings.value ?? model.y?.field;
  if (!location || !value) return null;
  const yAggregate = (mapAggregates as readonly string[]).includes(model.y?.aggregate ?? "")
    ? (model.y?.aggregate as MapChoice["aggregate"])
    : undefined;
  const choice: MapChoice = {
    location,
    value,
    matchBy: settings.matchBy,
    aggregate: settings.aggregate ?? yAggregate,
    scheme: settings.scheme,
    format: settings.format ?? model.y?.format,
  };
  return Object.fromEntries(Object.entries(choice).filter(([, v]) => v !== undefined)) as MapChoice;
}

/** The feature's properties as the spec reads them. */
export interface MapFeatureProperties {
  location_id: string;
  name: string;
  level: number;
  value: number | null;
}

/** The fill of a location that has a boundary but no number. */
export const NO_VALUE_GREY = "#d9d9d9";

export const MAP_FIELDS = { name: "properties.name", value: "properties.value" } as const;

export interface MapSpecOptions {
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

/** The Vega-Lite geoshape spec over features from `joinRowsToFeatures` (data set `result`, never a URL). */
export function buildMapSpec(choice: MapChoice, options: MapSpecOptions = {}): TopLevelSpec {
  const aggregate = choice.aggregate ?? "sum";
  const valueTitle = aggregate === "count" ? `count of ${choice.value}` : `${choice.value} (${aggregate})`;
  const format = choice.format ?? ",.4~f";
  const spec: Record<string, unknown> = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { name: CHART_DATA_NAME },
    // Mercator fitted to the features (Vega-Lite fits a projection without scale or center to the data it draws).
    projection: { type: "mercator" },
    mark: { type: "geoshape", stroke: "#4d4d4d", strokeWidth: 0.5, tooltip: true },
    encoding: {
      color: {
        field: MAP_FIELDS.value,
        type: "quantitative",
        title: valueTitle,
        scale: { scheme: choice.scheme ?? "blues" },
        legend: { format },
      },
      tooltip: [
        { field: MAP_FIELDS.name, type: "nominal", title: "Location" },
        { field: MAP_FIELDS.value, type: "quantitative", title: valueTitle, format },
      ],
    },
    width: options.width ?? "container",
    height: options.height ?? 400,
    // Locations with geometry but no number are drawn grey, not left out: a blank hole reads as "no such district".
    config: { scale: { invalid: { color: { value: NO_VALUE_GREY } } }, view: { stroke: null } },
  };
  if (options.title) spec.title = options.subtitle ? { text: options.title, subtitle: options.subtitle } : options.title;
  return spec as unknown as TopLevelSpec;
}

/** Combines the values of one location's rows (non-numbers are skipped; `count` counts rows). */
function combine(values: number[], rowCount: number, aggregate: (typeof mapAggregates)[number]): number | null {
  if (aggregate === "count") return rowCount;
  if (values.length === 0) return null;
  switch (aggregate) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "mean":
      return values.reduce((a, b) => a + b, 0) / values.length;
    // reduce, not Math.min(...values): a spread of 100,000 arguments can overflow the call stack.
    case "min":
      return values.reduce((a, b) => (b < a ? b : a));
    case "max":
      return values.reduce((a, b) => (b > a ? b : a));
  }
}

const toNumber = (v: unknown): number | null => {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
};

export interface RowLocations {
  /** The distinct location keys of the rows, in first-seen order (ids or names as written). */
  keys: string[];
  groups: Map<string, { values: number[]; rows: number }>;
}

/** Groups the rows by their location column (empty and NULL locations are left out and do not count as missing). */
export function groupRows(choice: MapChoice, rows: readonly Record<string, unknown>[]): RowLocations {
  const groups = new Map<string, { values: number[]; rows: number }>();
  for (const row of rows) {
    const raw = row[choice.location];
    if (raw === null || raw === undefined || String(raw).trim() === "") continue;
    const key = String(raw).trim();
    const group = groups.get(key) ?? { values: [], rows: 0 };
    group.rows++;
    const value = toNumber(row[choice.value]);
    if (value !== null) group.values.push(value);
    groups.set(key, group);
  }
  return { keys: [...groups.keys()], groups };
}

export type MapJoin =
  | {
      ok: true;
      data: (LocationFeature & { properties: MapFeatureProperties })[];
      /** Row locations without a boundary (unknown to the hierarchy, or known without geometry). */
      missing: string[];
      total: number;
      /** "2 of 13 locations have no boundaries: …", when some are missing. */
      notice: string | null;
    }
  | { ok: false; problem: string; missing: string[]; total: number };

const listed = (names: readonly string[], max = 5) =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

/** The message when no row location has a boundary. */
export function noBoundariesMessage(missing: readonly string[], total: number): string {
  if (total === 0) return "No locations to map: the location column is empty in every row";
  return `No boundaries for these locations (${missing.length} of ${total} have none): ${listed(missing)}`;
}

export function partialBoundariesNotice(missing: readonly string[], total: number): string {
  return `${missing.length} of ${total} locations have no boundaries and are not drawn: ${listed(missing)}`;
}

/**
 * Joins the grouped rows to the features. `keyOf` gives a feature's key in the rows' terms: its id, or the row name it
 * was matched to (the geometry route matches names with the hierarchy's normalisation; see matchFeaturesByName).
 */
export function joinRowsToFeatures(
  choice: MapChoice,
  rows: readonly Record<string, unknown>[],
  featuresByKey: ReadonlyMap<string, LocationFeature>,
  /** Names of known locations without a boundary, so messages list "Western Area" rather than its id. */
  namesOfMissing: ReadonlyMap<string, string> = new Map(),
): MapJoin {
  const { keys, groups } = groupRows(choice, rows);
  const aggregate = choice.aggregate ?? "sum";
  const data: (LocationFeature & { properties: MapFeatureProperties })[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const feature = featuresByKey.get(key);
    if (!feature) {
      missing.push(namesOfMissing.get(key) ?? key);
      continue;
    }
    const group = groups.get(key) as { values: number[]; rows: number };
    data.push({ ...feature, properties: { ...feature.properties, value: combine(group.values, group.rows, aggregate) } });
  }
  if (data.length === 0) return { ok: false, problem: noBoundariesMessage(missing, keys.length), missing, total: keys.length };
  return {
    ok: true,
    data,
    missing,
    total: keys.length,
    notice: missing.length > 0 ? partialBoundariesNotice(missing, keys.length) : null,
  };
}

/**
 * Features keyed by the row names they match. Several locations may share a name across levels ("Bo" district and a
 * "Bo" chiefdom): the level matching the most names wins, so a district result maps onto districts.
 * `normalize` is the hierarchy's name normalisation (case, accents, type words).
 */
export function matchFeaturesByName(
  names: readonly string[],
  features: readonly LocationFeature[],
  normalize: (name: string) => string,
): Map<string, LocationFeature> {
  const byNormal = new Map<string, LocationFeature[]>();
  for (const f of features) {
    const key = normalize(f.properties.name);
    byNormal.set(key, [...(byNormal.get(key) ?? []), f]);
  }
  const levelScore = new Map<number, number>();
  for (const name of names) {
    for (const f of byNormal.get(normalize(name)) ?? [])
      levelScore.set(f.properties.level, (levelScore.get(f.properties.level) ?? 0) + 1);
  }
  const rank = (level: number) => levelScore.get(level) ?? 0;
  const out = new Map<string, LocationFeature>();
  for (const name of names) {
    const candidates = byNormal.get(normalize(name)) ?? [];
    const best = [...candidates].sort((a, b) => rank(b.properties.level) - rank(a.properties.level))[0];
    if (best) out.set(name, best);
  }
  return out;
}
