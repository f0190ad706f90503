import type { LocationRow } from "../core/types.ts";
import { sqlIdentifier } from "./duckdb.ts";

/**
 * The base format's tables (DESIGN.md "The base format"). No PRIMARY KEY/UNIQUE: an ART index is stored in the file and
 * would be read by every browser that attaches it; uniqueness is checked before writing instead.
 */
export const OBSERVATION_COLUMNS = [
  ["source", "VARCHAR NOT NULL"],
  ["field_id", "VARCHAR NOT NULL"],
  ["disaggregation", "VARCHAR"],
  ["location_id", "VARCHAR NOT NULL"],
  ["period_type", "VARCHAR NOT NULL"],
  ["period_id", "VARCHAR NOT NULL"],
  ["period_start", "DATE NOT NULL"],
  ["period_end", "DATE NOT NULL"],
  ["value", "DOUBLE"],
  ["value_text", "VARCHAR"],
] as const;

/** Field first, then period: a notebook filters by field and period, so row-group zone maps skip most of the file. */
export const OBSERVATION_ORDER = "field_id, period_start, location_id, period_type, disaggregation NULLS FIRST";

export const FIELD_COLUMNS = [
  ["field_id", "VARCHAR NOT NULL"],
  ["name", "VARCHAR NOT NULL"],
  ["description", "VARCHAR"],
  ["unit", "VARCHAR"],
  ["source_field_id", "VARCHAR"],
  ["aggregation", "VARCHAR NOT NULL"],
] as const;

export const LOCATION_BASE_COLUMNS = [
  ["location_id", "VARCHAR NOT NULL"],
  ["code", "VARCHAR"],
  ["name", "VARCHAR NOT NULL"],
  ["level", "INTEGER NOT NULL"],
  ["level_name", "VARCHAR"],
  ["parent_id", "VARCHAR"],
  ["path", "VARCHAR NOT NULL"],
  ["geometry", "VARCHAR"],
] as const;

export function createTableSql(qualifiedName: string, columns: ReadonlyArray<readonly [string, string]>): string {
  const body = columns.map(([name, type]) => `${sqlIdentifier(name)} ${type}`).join(", ");
  return `CREATE TABLE ${qualifiedName} (${body})`;
}

/**
 * The per-level name columns of `locations`, so a district total is a plain GROUP BY.
 *
 * Decision: every level k gets `level_<k>_name` (stable across datasets, what library queries use). When all locations
 * of level k share one level name, that level ALSO gets a column named after it, lowercased snake_case without accents
 * ("District" → `district`, "Health Facility" → `health_facility`, "Région" → `region`), unless that name is not a plain
 * identifier or collides with another column; then only `level_<k>_name` exists.
 */
export interface LevelColumn {
  level: number;
  column: string;
  /** The alias named after the level, when one could be given. */
  alias: string | null;
}

export function levelColumns(locations: readonly LocationRow[]): LevelColumn[] {
  let maxLevel = 0;
  const namesByLevel = new Map<number, Set<string>>();
  for (const location of locations) {
    maxLevel = Math.max(maxLevel, location.level, pathIds(location.path).length);
    const names = namesByLevel.get(location.level) ?? new Set<string>();
    if (location.level_name) names.add(location.level_name);
    namesByLevel.set(location.level, names);
  }
  const taken = new Set<string>(LOCATION_BASE_COLUMNS.map(([name]) => name));
  const columns: LevelColumn[] = [];
  for (let level = 1; level <= maxLevel; level++) taken.add(`level_${level}_name`);
  for (let level = 1; level <= maxLevel; level++) {
    const names = namesByLevel.get(level);
    let alias: string | null = null;
    if (names?.size === 1) {
      const candidate = snakeCase([...names][0]);
      if (/^[a-z][a-z0-9_]{0,62}$/.test(candidate) && !taken.has(candidate)) alias = candidate;
    }
    if (alias) taken.add(alias);
    columns.push({ level, column: `level_${level}_name`, alias });
  }
  return columns;
}

function snakeCase(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export function pathIds(path: string): string[] {
  return path.split("/").filter((id) => id !== "");
}

/** Full column list of `locations` for this dataset: base columns, then level_k_name, then the named aliases. */
export function locationColumns(levels: readonly LevelColumn[]): Array<readonly [string, string]> {
  return [
    ...LOCATION_BASE_COLUMNS,
    ...levels.map((l) => [l.column, "VARCHAR"] as const),
    ...levels.filter((l) => l.alias).map((l) => [l.alias as string, "VARCHAR"] as const),
  ];
}

/**
 * Location rows as value arrays in `locationColumns` order, with each ancestor's name resolved from the path.
 * Throws naming the row when the rows contradict the base format (duplicate id, path not ending in the row's own id).
 */
export function locationValueRows(
  locations: readonly LocationRow[],
  levels: readonly LevelColumn[],
): Array<Array<string | number | null>> {
  const nameById = new Map<string, string>();
  locations.forEach((location, index) => {
    const where = `locations row ${index + 1} (location_id '${location.location_id}')`;
    if (!location.location_id) throw new Error(`locations row ${index + 1}: location_id is empty`);
    if (nameById.has(location.location_id)) throw new Error(`${where}: duplicate location_id`);
    const ids = pathIds(location.path);
    if (!location.path.startsWith("/") || ids[ids.length - 1] !== location.location_id) {
      throw new Error(`${where}: path '${location.path}' must start with '/' and end with the location's own id`);
    }
    nameById.set(location.location_id, location.name);
  });
  const aliased = levels.filter((l) => l.alias);
  return locations.map((location) => {
    const ids = pathIds(location.path);
    const levelNames = levels.map((l) => (l.level <= ids.length ? (nameById.get(ids[l.level - 1]) ?? null) : null));
    return [
      location.location_id,
      location.code,
      location.name,
      location.level,
      location.level_name,
      location.parent_id,
      location.path,
      location.geometry,
      ...levelNames,
      ...aliased.map((l) => levelNames[l.level - 1]),
    ];
  });
}
