/**
 * A hierarchy from a "table of levels" (CSV/xlsx): each row is one leaf with one column per level from the root down,
 * e.g. Country | District | Chiefdom | Facility. A row may stop early (a district-level row leaves the deeper cells
 * empty); a gap in the middle is an error for that row only.
 */
import type { RawRecord, RawValue, RunIssue, SourcePlace } from "../../core/types.ts";
import { buildHierarchy } from "./hierarchy.ts";
import { slugPath } from "./normalize.ts";
import type { HierarchyResult, LevelColumn, SourceLocation } from "./types.ts";

const SPACES = /\s+/g;

function cellText(value: RawValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)).replace(SPACES, " ").trim();
  return text.length > 0 ? text : null;
}

function at(place: SourcePlace, column: string): string {
  const parts: string[] = [];
  if (place.file) parts.push(`file ${place.file}`);
  if (place.sheet) parts.push(`sheet ${place.sheet}`);
  if (place.row !== undefined) parts.push(`row ${place.row.toLocaleString("en-US")}`);
  parts.push(`column \`${column}\``);
  return parts.join(", ");
}

interface Node {
  location: SourceLocation;
  /** The generated key (slugs of names from the root) that merges repeated mentions of one unit. */
  key: string;
  spelling: string;
  /** Other spellings already warned about, so a variant repeated on 1,000 rows is said once. */
  variants: Set<string>;
}

export function hierarchyFromLevelTable(records: readonly RawRecord[], levelColumns: readonly LevelColumn[]): HierarchyResult {
  const issues: RunIssue[] = [];
  const nodes = new Map<string, Node>();
  const byGivenId = new Map<string, string>();

  for (const record of records) {
    const names: string[] = [];
    let stopped: string | null = null;
    let rowFailed = false;
    const pending: { key: string; level: number; name: string; id: string | null; code: string | null; column: string }[] = [];
    for (let i = 0; i < levelColumns.length; i++) {
      const col = levelColumns[i];
      const name = cellText(record.values[col.column]);
      if (name === null) {
        stopped ??= col.column;
        continue;
      }
      if (stopped !== null) {
        issues.push({
          severity: "error",
          message: `${at(record.place, col.column)}: '${name}' has no ${levelColumns[i - 1].levelName} (column \`${stopped}\` is empty); this row is left out`,
          place: { ...record.place, column: col.column },
        });
        rowFailed = true;
        break;
      }
      names.push(name);
      pending.push({
        key: slugPath(names),
        level: i + 1,
        name,
        id: col.idColumn ? cellText(record.values[col.idColumn]) : null,
        code: col.codeColumn ? cellText(record.values[col.codeColumn]) : null,
        column: col.column,
      });
    }
    if (rowFailed) continue;
    for (const p of pending) {
      const existing = nodes.get(p.key);
      if (!existing) {
        if (p.id !== null) {
          const other = byGivenId.get(p.id);
          if (other !== undefined && other !== p.key) {
            issues.push({
              severity: "error",
              message: `${at(record.place, p.column)}: id ${p.id} of '${p.name}' is already used by another unit; the generated id is used instead`,
              place: { ...record.place, column: p.column },
            });
            p.id = null;
          } else byGivenId.set(p.id, p.key);
        }
        nodes.set(p.key, {
          key: p.key,
          spelling: p.name,
          variants: new Set(),
          location: {
            id: p.id ?? p.key,
            code: p.code,
            name: p.name,
            level: p.level,
            parentRef: null,
            place: { ...record.place, column: p.column },
          },
        });
        continue;
      }
      if (existing.spelling !== p.name && !existing.variants.has(p.name)) {
        // Same unit written two ways ("Bo" / "BO"): merged under the first spelling, but said so once.
        issues.push({
          severity: "warning",
          message: `${at(record.place, p.column)}: '${p.name}' is taken as '${existing.spelling}' (first written so at row ${existing.location.place?.row ?? "?"})`,
          place: { ...record.place, column: p.column },
        });
        existing.variants.add(p.name);
      }
      if (p.id !== null && existing.location.id !== p.id) {
        issues.push({
          severity: "error",
          message: `${at(record.place, p.column)}: '${p.name}' has id ${p.id} here but ${existing.location.id} earlier; the first is kept`,
          place: { ...record.place, column: p.column },
        });
      }
      if (p.code !== null && existing.location.code == null) existing.location.code = p.code;
    }
  }

  // Parent references point to the parent's final id (given or generated), resolved once all rows are read.
  for (const node of nodes.values()) {
    const dot = node.key.lastIndexOf(".");
    if (dot >= 0) node.location.parentRef = nodes.get(node.key.slice(0, dot))?.location.id ?? null;
  }
  const built = buildHierarchy(
    [...nodes.values()].map((n) => n.location),
    levelColumns.map((c) => c.levelName),
  );
  return { locations: built.locations, issues: [...issues, ...built.issues] };
}
