/**
 * Location boundaries from the workspace hierarchy in SQLite, as GeoJSON features ready for a choropleth (simplified,
 * rounded, wound for d3-geo). Used by the geometry route for chart cells and by report publishing, which inlines them
 * as the chart's data (never a URL: docs/decisions/0011-maps.md).
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { createNameNormalizer } from "../../connectors/harmonize/locations/normalize.ts";
import { type Db, schema } from "../../db/index.ts";
import type { ChartModel } from "./builder.ts";
import { assembleMapChart, type MapChart, mapInputProblem, requestedLocations } from "./map-chart.ts";
import { type LocationFeature, locationFeatures, type StoredLocation } from "./map-geometry.ts";
import { mapChoiceOf } from "./map-spec.ts";

export const GEOMETRY_LIMITS = {
  /** Ids or names one request may ask for (they travel in the query string). */
  keysPerRequest: 500,
  /** Locations one answer may hold. */
  features: 5_000,
  /** Bytes of one answer after simplification; a bigger map should be drawn at a higher level. */
  responseBytes: 2_000_000,
  /** Stored GeoJSON read for one answer, checked before any parsing or simplification. */
  storedBytes: 50_000_000,
} as const;

export type GeometryQuery = { ids: string[] } | { names: string[] } | { level: number };

export interface FeatureCollection {
  type: "FeatureCollection";
  features: LocationFeature[];
  /** Known locations asked for that have no drawable boundary (a GeoJSON foreign member). */
  missing: { location_id: string; name: string }[];
}

export type GeometryAnswer =
  | { ok: true; collection: FeatureCollection; body: string }
  | { ok: false; status: 400 | 413; message: string };

const columns = {
  id: schema.locations.id,
  name: schema.locations.name,
  level: schema.locations.level,
  geometry: schema.locations.geometry,
};
const normalizer = createNameNormalizer();

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The stored locations a query names (ids as given; names by the hierarchy's normalisation, at every level). */
export function findLocations(db: Db, query: GeometryQuery): StoredLocation[] {
  if ("level" in query) return db.select(columns).from(schema.locations).where(eq(schema.locations.level, query.level)).all();
  let ids: string[];
  if ("ids" in query) ids = query.ids;
  else {
    const wanted = new Set(query.names.map((n) => normalizer.core(n)));
    ids = db
      .select({ id: schema.locations.id, name: schema.locations.name })
      .from(schema.locations)
      .all()
      .filter((l) => wanted.has(normalizer.core(l.name)))
      .map((l) => l.id);
  }
  // SQLite caps the variables of one statement; a report's map may name thousands of locations.
  return chunks([...new Set(ids)], 500).flatMap((part) =>
    db.select(columns).from(schema.locations).where(inArray(schema.locations.id, part)).all(),
  );
}

/** How many locations of a level have geometry, for the route's size check before any geometry is read. */
function countAtLevel(db: Db, level: number): number {
  return db
    .select({ id: schema.locations.id })
    .from(schema.locations)
    .where(and(eq(schema.locations.level, level), isNotNull(schema.locations.geometry)))
    .all().length;
}

/** The FeatureCollection for a query, with its serialized body, or why it is refused. */
export function geometryCollection(db: Db, query: GeometryQuery): GeometryAnswer {
  const keys = "ids" in query ? query.ids : "names" in query ? query.names : null;
  if (keys && keys.length > GEOMETRY_LIMITS.keysPerRequest) {
    return {
      ok: false,
      status: 400,
      message: `${keys.length} locations asked for; at most ${GEOMETRY_LIMITS.keysPerRequest} per request`,
    };
  }
  if ("level" in query && countAtLevel(db, query.level) > GEOMETRY_LIMITS.features) {
    return {
      ok: false,
      status: 413,
      message: `level ${query.level} has more than ${GEOMETRY_LIMITS.features} locations with boundaries; ask for the ids of the locations to draw`,
    };
  }
  const locations = findLocations(db, query);
  const stored = locations.reduce((sum, l) => sum + (l.geometry?.length ?? 0), 0);
  if (stored > GEOMETRY_LIMITS.storedBytes) {
    return {
      ok: false,
      status: 413,
      message: `the stored boundaries of ${locations.length} locations weigh ${Math.ceil(stored / 1_000_000)} MB, more than the ${GEOMETRY_LIMITS.storedBytes / 1_000_000} MB a map reads at once; draw fewer locations`,
    };
  }
  const { features, missing } = locationFeatures(locations);
  const collection: FeatureCollection = { type: "FeatureCollection", features, missing };
  const body = JSON.stringify(collection);
  if (body.length > GEOMETRY_LIMITS.responseBytes) {
    return {
      ok: false,
      status: 413,
      message: `the boundaries of ${features.length} locations weigh ${Math.ceil(body.length / 1000)} KB after simplification, more than the ${GEOMETRY_LIMITS.responseBytes / 1000} KB allowed; draw a higher level`,
    };
  }
  return { ok: true, collection, body };
}

/**
 * A map chart for a published report: the rows' locations looked up in SQLite, joined, and returned with the spec; the
 * caller renders `data` as the chart's rows. Same steps as the browser (map-prepare.ts), without the HTTP hop.
 */
export function prepareMapChartFromDb(db: Db, model: ChartModel, rows: readonly Record<string, unknown>[]): MapChart {
  const problem = mapInputProblem(model, rows);
  if (problem) return { problem };
  const choice = mapChoiceOf(model);
  if (!choice) return { problem: "map: choose the location column and the value column" };
  const { by, keys } = requestedLocations(choice, rows);
  const { features, missing } = locationFeatures(findLocations(db, by === "id" ? { ids: keys } : { names: keys }));
  // The same cap as the route: the features are stored with the report tile and sent to its live chart.
  const bytes = JSON.stringify(features).length;
  if (bytes > GEOMETRY_LIMITS.responseBytes) {
    return {
      problem: `map: the boundaries of ${features.length} locations weigh ${Math.ceil(bytes / 1000)} KB after simplification, more than the ${GEOMETRY_LIMITS.responseBytes / 1000} KB allowed; draw a higher level`,
    };
  }
  return assembleMapChart(model, rows, features, missing);
}
