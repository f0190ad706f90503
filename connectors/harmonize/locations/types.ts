import type { LocationRow, RunIssue, SourcePlace } from "../../core/types.ts";

/** One location as a source describes it, before the hierarchy is built. */
export interface SourceLocation {
  /** The source's stable id (DHIS2 uid...). Without it an id is generated from the slugs of the names from the root. */
  id?: string | null;
  code?: string | null;
  name: string;
  /** Used for roots only (a subtree export starts below level 1); below a parent the level is the parent's + 1. */
  level?: number | null;
  /** The parent's id, or its code when no row has that id. Empty for a root. */
  parentRef?: string | null;
  /** The source's own path ("/root/…/id"). Kept when the parent is outside the rows given (a subtree export). */
  path?: string | null;
  /** GeoJSON geometry as text. */
  geometry?: string | null;
  /** Where the row came from, for issues. */
  place?: SourcePlace;
}

/** Level names: an array (index 0 is level 1) or a map from level number to name. Missing levels are "Level N". */
export type LevelNames = readonly string[] | Readonly<Record<number, string>>;

/**
 * The built hierarchy and the problems met. Rows with problems (unknown parent, cycle, duplicate id) are left out of
 * `locations` and each one is named in `issues`: nothing is dropped silently.
 */
export interface HierarchyResult {
  locations: LocationRow[];
  issues: RunIssue[];
}

/** A column of a "table of levels": one row per leaf, one column per level from the root down. */
export interface LevelColumn {
  column: string;
  levelName: string;
  /** Optional column holding the source's id for this level's unit (e.g. a facility uid). */
  idColumn?: string;
  /** Optional column holding this level's unit code. */
  codeColumn?: string;
}
