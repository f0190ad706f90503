/**
 * District boundaries for the demo workspace. The recorded org units carry no geometry, so the Sierra Leone district
 * GeoJSON of dhis2-core's tests (../shared/fixtures/dhis2-core/geo, see its SOURCES.md: simplified test shapes, and a
 * newer district layout with Karene) is matched to the demo districts by name: the hierarchy's normalisation (case,
 * accents, "District"), then fuzzy similarity. Unmatched districts and unused features are reported, never guessed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { createNameNormalizer, similarity } from "../../connectors/harmonize/locations/normalize.ts";
import { type Db, schema } from "../../db/index.ts";

export const DEMO_DISTRICTS_GEOJSON = "dhis2-core/geo/sierra-leone-districts.geojson";
/** The demo hierarchy's district level (DHIS2 Sierra Leone: National 1, District 2, Chiefdom 3, Facility 4). */
export const DEMO_DISTRICT_LEVEL = 2;
/** Fuzzy matches below this similarity are left unmatched ("Western Area" must not become "Western Area Urban"). */
const FUZZY_THRESHOLD = 0.85;

export interface DistrictGeometryMatch {
  /** Location id → GeoJSON geometry text. */
  geometry: Map<string, string>;
  matched: { location: string; feature: string; how: "normalized" | "fuzzy" }[];
  unmatchedDistricts: string[];
  unusedFeatures: string[];
}

interface Feature {
  properties?: { name?: unknown };
  geometry?: unknown;
}

/** Matches the features' names to the districts' names; each feature is used at most once. */
export function matchDistrictGeometry(
  districts: readonly { id: string; name: string }[],
  features: readonly Feature[],
): DistrictGeometryMatch {
  const normalizer = createNameNormalizer();
  const candidates = features
    .filter((f) => typeof f.properties?.name === "string" && f.geometry)
    .map((f) => ({ name: f.properties?.name as string, core: normalizer.core(f.properties?.name as string), feature: f }));
  const used = new Set<string>();
  const result: DistrictGeometryMatch = { geometry: new Map(), matched: [], unmatchedDistricts: [], unusedFeatures: [] };
  const take = (district: { id: string; name: string }, c: (typeof candidates)[number], how: "normalized" | "fuzzy") => {
    used.add(c.name);
    result.geometry.set(district.id, JSON.stringify(c.feature.geometry));
    result.matched.push({ location: district.name, feature: c.name, how });
  };
  const pending: { id: string; name: string }[] = [];
  for (const district of districts) {
    const core = normalizer.core(district.name);
    const exact = candidates.find((c) => c.core === core && !used.has(c.name));
    if (exact) take(district, exact, "normalized");
    else pending.push(district);
  }
  for (const district of pending) {
    const core = normalizer.core(district.name);
    const scored = candidates
      .filter((c) => !used.has(c.name))
      .map((c) => ({ c, score: similarity(core, c.core) }))
      .sort((a, b) => b.score - a.score);
    const best = scored[0];
    // A clear winner only: two features about as close mean the name does not decide.
    const clear = best && best.score >= FUZZY_THRESHOLD && (scored[1]?.score ?? 0) < best.score - 0.05;
    if (clear) take(district, best.c, "fuzzy");
    else result.unmatchedDistricts.push(district.name);
  }
  result.unusedFeatures = candidates.filter((c) => !used.has(c.name)).map((c) => c.name);
  return result;
}

/** The demo districts' boundaries from the fixtures, matched against the districts in SQLite. */
export function demoDistrictGeometry(db: Db, fixturesDir: string): DistrictGeometryMatch {
  const collection = JSON.parse(readFileSync(path.join(fixturesDir, DEMO_DISTRICTS_GEOJSON), "utf8")) as {
    features?: Feature[];
  };
  const districts = db
    .select({ id: schema.locations.id, name: schema.locations.name })
    .from(schema.locations)
    .where(eq(schema.locations.level, DEMO_DISTRICT_LEVEL))
    .all();
  return matchDistrictGeometry(districts, collection.features ?? []);
}

/**
 * Stores the matched boundaries on districts that have none (idempotent; an imported DHIS2 geometry is never replaced)
 * and returns a line for the start-up log naming what did not match.
 */
export function attachDemoDistrictGeometry(db: Db, fixturesDir: string): string {
  let match: DistrictGeometryMatch;
  try {
    match = demoDistrictGeometry(db, fixturesDir);
  } catch (error) {
    return `  district boundaries skipped: ${error instanceof Error ? error.message : String(error)}`;
  }
  let stored = 0;
  db.transaction((tx) => {
    for (const [id, geometry] of match.geometry) {
      const changed = tx
        .update(schema.locations)
        .set({ geometry })
        .where(and(eq(schema.locations.id, id), isNull(schema.locations.geometry)))
        .run();
      stored += changed.changes;
    }
  });
  const parts = [`  district boundaries: ${match.geometry.size} matched (${stored} stored)`];
  if (match.unmatchedDistricts.length > 0) parts.push(`no boundary for ${match.unmatchedDistricts.join(", ")}`);
  if (match.unusedFeatures.length > 0) parts.push(`unused in the file: ${match.unusedFeatures.join(", ")}`);
  return parts.join("; ");
}
