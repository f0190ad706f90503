import type { TopLevelSpec } from "vega-lite";
import { createNameNormalizer } from "../../connectors/harmonize/locations/normalize.ts";
import type { ChartModel } from "./builder.ts";
import { CHART_LIMITS } from "./limits.ts";
import type { LocationFeature } from "./map-geometry.ts";
import {
  buildMapSpec,
  groupRows,
  joinRowsToFeatures,
  type MapChoice,
  mapChoiceOf,
  matchByOf,
  matchFeaturesByName,
} from "./map-spec.ts";

/**
 * A map chart cell from its model, its rows and the features of their locations: the same steps in the browser (features
 * from /locations/geometry.json) and in a published report (features from SQLite), so both draw the same map.
 */

export type MapChart = { spec: TopLevelSpec; data: object[]; notice: string | null } | { problem: string };

/** Distinct locations a map draws at most; a bigger result should be aggregated to a higher level in SQL first. */
export const MAP_MAX_LOCATIONS = 5_000;

/** What to ask the geometry source for: the rows' distinct ids or names. */
export function requestedLocations(
  choice: MapChoice,
  rows: readonly Record<string, unknown>[],
): { by: "id" | "name"; keys: string[] } {
  return { by: matchByOf(choice), keys: groupRows(choice, rows).keys };
}

const normalizer = createNameNormalizer();

/** Checks the model and rows before any geometry is fetched; null when a map can be drawn. */
export function mapInputProblem(model: ChartModel, rows: readonly Record<string, unknown>[]): string | null {
  const choice = mapChoiceOf(model);
  if (!choice) return "map: choose the location column and the value column";
  if (rows.length > CHART_LIMITS.resultRows)
    return `map: ${rows.length.toLocaleString("en")} rows is more than the ${CHART_LIMITS.resultRows.toLocaleString("en")} a chart renders; aggregate in the SQL cell first`;
  const first = rows[0];
  if (first && !(choice.location in first)) return `map: the result has no column \`${choice.location}\``;
  if (first && !(choice.value in first)) return `map: the result has no column \`${choice.value}\``;
  const { keys } = requestedLocations(choice, rows);
  if (keys.length > MAP_MAX_LOCATIONS)
    return `map: ${keys.length.toLocaleString("en")} distinct locations is more than the ${MAP_MAX_LOCATIONS.toLocaleString("en")} a map draws; aggregate to a higher level first`;
  return null;
}

/** The spec and the feature rows to render, or the problem to show instead. */
export function assembleMapChart(
  model: ChartModel,
  rows: readonly Record<string, unknown>[],
  features: readonly LocationFeature[],
  /** Known locations without a boundary (the geometry source lists them), named in the messages. */
  withoutGeometry: readonly { location_id: string; name: string }[] = [],
): MapChart {
  const problem = mapInputProblem(model, rows);
  if (problem) return { problem };
  const choice = mapChoiceOf(model) as MapChoice;
  const { by, keys } = requestedLocations(choice, rows);
  const byKey =
    by === "id"
      ? new Map(features.map((f) => [f.properties.location_id, f]))
      : matchFeaturesByName(keys, features, normalizer.core);
  const names = new Map(withoutGeometry.map((m) => [m.location_id, m.name]));
  const joined = joinRowsToFeatures(choice, rows, byKey, by === "id" ? names : new Map());
  if (!joined.ok) return { problem: joined.problem };
  const spec = buildMapSpec(choice, {
    title: model.title,
    subtitle: model.subtitle,
    width: model.width,
    height: model.height,
  });
  return { spec, data: joined.data, notice: joined.notice };
}
