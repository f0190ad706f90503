/**
 * A hierarchy from DHIS2 `/api/organisationUnits` JSON (full, gist and `children[...]` shapes) and
 * `/api/organisationUnitLevels` for the level names.
 */
import type { RunIssue } from "../../core/types.ts";
import { buildHierarchy } from "./hierarchy.ts";
import type { HierarchyResult, SourceLocation } from "./types.ts";

export interface Dhis2OrgUnit {
  id?: string;
  code?: string;
  name?: string;
  displayName?: string;
  shortName?: string;
  level?: number;
  path?: string;
  parent?: { id?: string } | null;
  /** GeoJSON geometry (DHIS2 ≥ 2.32). */
  geometry?: { type: string; coordinates: unknown } | null;
  /** Pre-2.32 geometry: featureType NONE | POINT | POLYGON | MULTI_POLYGON and coordinates as a JSON string. */
  featureType?: string;
  coordinates?: string;
}

export interface Dhis2OrgUnitLevel {
  level: number;
  name?: string;
  displayName?: string;
}

const LEGACY_GEOMETRY_TYPES: Record<string, string> = {
  POINT: "Point",
  POLYGON: "Polygon",
  MULTI_POLYGON: "MultiPolygon",
};

function geometryText(unit: Dhis2OrgUnit, issues: RunIssue[]): string | null {
  if (unit.geometry && typeof unit.geometry === "object") return JSON.stringify(unit.geometry);
  const type = unit.featureType ? LEGACY_GEOMETRY_TYPES[unit.featureType] : undefined;
  if (!type || !unit.coordinates) return null;
  try {
    return JSON.stringify({ type, coordinates: JSON.parse(unit.coordinates) });
  } catch {
    issues.push({
      severity: "warning",
      message: `organisation unit ${unit.id ?? unit.name}: coordinates '${unit.coordinates.slice(0, 40)}' are not JSON; geometry left empty`,
    });
    return null;
  }
}

type UnitsInput = readonly Dhis2OrgUnit[] | { organisationUnits?: readonly Dhis2OrgUnit[]; children?: readonly Dhis2OrgUnit[] };
type LevelsInput = readonly Dhis2OrgUnitLevel[] | { organisationUnitLevels?: readonly Dhis2OrgUnitLevel[] };

export function hierarchyFromDhis2OrgUnits(input: UnitsInput, levelsInput: LevelsInput = []): HierarchyResult {
  const units = Array.isArray(input)
    ? (input as readonly Dhis2OrgUnit[])
    : ((input as { organisationUnits?: readonly Dhis2OrgUnit[] }).organisationUnits ??
      (input as { children?: readonly Dhis2OrgUnit[] }).children ??
      []);
  const levels = Array.isArray(levelsInput)
    ? (levelsInput as readonly Dhis2OrgUnitLevel[])
    : ((levelsInput as { organisationUnitLevels?: readonly Dhis2OrgUnitLevel[] }).organisationUnitLevels ?? []);
  const levelNames: Record<number, string> = {};
  for (const l of levels) {
    const name = l.name ?? l.displayName;
    if (name) levelNames[l.level] = name;
  }

  const issues: RunIssue[] = [];
  const rows: SourceLocation[] = [];
  units.forEach((unit, index) => {
    const pathIds = unit.path ? unit.path.split("/").filter((s) => s.length > 0) : [];
    const name = unit.name ?? unit.displayName ?? unit.shortName;
    if (!name) {
      issues.push({
        severity: "error",
        message: `organisation unit #${index + 1}${unit.id ? ` (id ${unit.id})` : ""} has no name; it is left out`,
      });
      return;
    }
    rows.push({
      // The gist API gives no id, only the path, whose last segment is the unit's own id.
      id: unit.id ?? pathIds.at(-1) ?? null,
      code: unit.code ?? null,
      name,
      level: unit.level ?? (pathIds.length > 0 ? pathIds.length : null),
      parentRef: unit.parent?.id ?? pathIds.at(-2) ?? null,
      path: unit.path ?? null,
      geometry: geometryText(unit, issues),
    });
  });
  const built = buildHierarchy(rows, levelNames);
  return { locations: built.locations, issues: [...issues, ...built.issues] };
}
