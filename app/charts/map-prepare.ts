import type { ChartModel } from "./builder.ts";
import { assembleMapChart, type MapChart, mapInputProblem, requestedLocations } from "./map-chart.ts";
import type { LocationFeature } from "./map-geometry.ts";
import { mapChoiceOf } from "./map-spec.ts";

/**
 * A map chart cell in the browser: the boundaries of the result's locations come from the app's own geometry route
 * (same origin, the reader's session) and are handed to Vega as data values, like any result. Then render with
 * `renderChart(element, chart.spec, chart.data)` and show `chart.notice` under it when some locations have no boundary.
 */

export const GEOMETRY_ROUTE = "/locations/geometry.json";
/** Keys per request, well under the route's cap: ids and names travel in the query string. */
const BATCH = 200;

function geometryUrl(by: "id" | "name", keys: readonly string[]): string {
  const params = new URLSearchParams();
  if (by === "id") params.set("ids", keys.join(","));
  else for (const name of keys) params.append("name", name);
  return `${GEOMETRY_ROUTE}?${params}`;
}

async function fetchFeatures(
  by: "id" | "name",
  keys: readonly string[],
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<{ features: LocationFeature[]; missing: { location_id: string; name: string }[] }> {
  const features: LocationFeature[] = [];
  const missing: { location_id: string; name: string }[] = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    const url = geometryUrl(by, keys.slice(i, i + BATCH));
    const response = await fetchFn(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin", signal });
    if (!response.ok) {
      const text = (await response.text()).slice(0, 300);
      throw new Error(`map: ${GEOMETRY_ROUTE} answered ${response.status}${text ? `: ${text}` : ""}`);
    }
    const collection = (await response.json()) as { features?: LocationFeature[]; missing?: typeof missing };
    features.push(...(collection.features ?? []));
    missing.push(...(collection.missing ?? []));
  }
  return { features, missing };
}

/** The spec and feature rows for a map chart cell, or the problem to show (no boundaries, missing columns, …). */
export async function prepareMapChart(
  model: ChartModel,
  rows: readonly Record<string, unknown>[],
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<MapChart> {
  const problem = mapInputProblem(model, rows);
  if (problem) return { problem };
  const choice = mapChoiceOf(model);
  if (!choice) return { problem: "map: choose the location column and the value column" };
  const { by, keys } = requestedLocations(choice, rows);
  try {
    const found = await fetchFeatures(by, keys, options.fetch ?? globalThis.fetch.bind(globalThis), options.signal);
    return assembleMapChart(model, rows, found.features, found.missing);
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
