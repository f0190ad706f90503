/**
 * Builds the canonical `locations` rows (ids, paths from the root, levels and level names) from parent references.
 * Sources list rows in any order (DHIS2 metadata puts children before parents), so parents are resolved recursively.
 */
import type { LocationRow, RunIssue } from "../../core/types.ts";
import { slugPath } from "./normalize.ts";
import type { HierarchyResult, LevelNames, SourceLocation } from "./types.ts";

export function levelNameOf(levelNames: LevelNames, level: number): string {
  const name = Array.isArray(levelNames) ? levelNames[level - 1] : (levelNames as Record<number, string>)[level];
  return name && name.trim().length > 0 ? name : `Level ${level}`;
}

interface Resolved {
  id: string;
  parentId: string | null;
  level: number;
  path: string;
  names: string[];
}

type State = Resolved | "visiting" | "failed";

function describe(row: SourceLocation): string {
  const where = row.place?.row !== undefined ? `row ${row.place.row.toLocaleString("en-US")}, ` : "";
  const file = row.place?.file ? `file ${row.place.file}, ` : "";
  return `${file}${where}location '${row.name}'${row.id ? ` (id ${row.id})` : ""}`;
}

function blankToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

export function buildHierarchy(rows: readonly SourceLocation[], levelNames: LevelNames): HierarchyResult {
  const issues: RunIssue[] = [];
  const error = (row: SourceLocation, message: string) =>
    issues.push({ severity: "error", message: `${describe(row)}: ${message}`, place: row.place });

  const byId = new Map<string, number>();
  const byCode = new Map<string, number>();
  const states: State[] = new Array(rows.length);
  // Read through a function: a recursive call may have marked the row failed, which TypeScript's narrowing cannot see.
  const failed = (index: number) => states[index] === "failed";
  rows.forEach((row, index) => {
    const id = blankToNull(row.id);
    if (id !== null) {
      if (byId.has(id)) {
        error(row, `id ${id} is already used by '${rows[byId.get(id) as number].name}'; this row is left out`);
        states[index] = "failed";
        return;
      }
      byId.set(id, index);
    }
    const code = blankToNull(row.code);
    if (code !== null && !byCode.has(code)) byCode.set(code, index);
  });

  const resolve = (index: number): Resolved | null => {
    const state = states[index];
    if (state === "failed") return null;
    if (state === "visiting") {
      error(rows[index], "its parents form a cycle; it is left out");
      states[index] = "failed";
      return null;
    }
    if (state) return state;
    states[index] = "visiting";
    const row = rows[index];
    const parentRef = blankToNull(row.parentRef);
    let resolved: Resolved | null = null;
    if (parentRef === null) {
      const id = blankToNull(row.id) ?? slugPath([row.name]);
      resolved = { id, parentId: null, level: row.level ?? 1, path: `/${id}`, names: [row.name] };
    } else {
      const parentIndex = byId.get(parentRef) ?? byCode.get(parentRef);
      if (parentIndex === undefined) {
        const sourcePath = blankToNull(row.path);
        const id = blankToNull(row.id);
        if (sourcePath !== null && id !== null) {
          // A subtree export: the parent lives outside these rows, the source's own path still says where.
          const depth = sourcePath.split("/").length - 1;
          resolved = { id, parentId: parentRef, level: row.level ?? depth, path: sourcePath, names: [row.name] };
        } else {
          error(row, `parent '${parentRef}' is not among the locations; it is left out`);
        }
      } else {
        const parent = resolve(parentIndex);
        if (parent === null) {
          if (!failed(index)) error(row, `its parent '${parentRef}' was left out, so it is too`);
        } else {
          const names = [...parent.names, row.name];
          const id = blankToNull(row.id) ?? slugPath(names);
          resolved = { id, parentId: parent.id, level: parent.level + 1, path: `${parent.path}/${id}`, names };
          if (row.level != null && row.level !== resolved.level) {
            issues.push({
              severity: "warning",
              message: `${describe(row)}: level ${row.level} given, but it sits at level ${resolved.level} under '${parent.names.at(-1)}'; level ${resolved.level} is used`,
              place: row.place,
            });
          }
        }
      }
    }
    if (failed(index)) return null;
    states[index] = resolved ?? "failed";
    return resolved;
  };

  const out: { row: LocationRow; sortKey: string }[] = [];
  const seen = new Map<string, string>();
  rows.forEach((row, index) => {
    const resolved = resolve(index);
    if (!resolved) return;
    const other = seen.get(resolved.id);
    if (other !== undefined) {
      error(row, `its id ${resolved.id} is the same as that of '${other}' (same names from the root?); it is left out`);
      return;
    }
    seen.set(resolved.id, row.name);
    out.push({
      row: {
        location_id: resolved.id,
        code: blankToNull(row.code),
        name: row.name,
        level: resolved.level,
        level_name: levelNameOf(levelNames, resolved.level),
        parent_id: resolved.parentId,
        path: resolved.path,
        geometry: row.geometry ?? null,
      },
      sortKey: resolved.names.join("\u0000"),
    });
  });
  out.sort((a, b) => a.row.level - b.row.level || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return { locations: out.map((o) => o.row), issues };
}

/** Names from the root down for each location ("Sierra Leone", "Bo", "Badjia"), for one name column per level. */
export function namePaths(locations: readonly LocationRow[]): Map<string, string[]> {
  const byId = new Map(locations.map((l) => [l.location_id, l]));
  const out = new Map<string, string[]>();
  for (const location of locations) {
    const ids = location.path.split("/").filter((s) => s.length > 0);
    out.set(
      location.location_id,
      ids.map((id) => byId.get(id)?.name ?? id),
    );
  }
  return out;
}
