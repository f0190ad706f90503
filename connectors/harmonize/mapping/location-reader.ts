/**
 * Location cells of a row → canonical location, matched top-down (each level searched under the one above it) and
 * cached per distinct combination of cells: a 10M-row table names a few thousand places.
 */
import type { RawValue } from "../../core/types.ts";
import type { Matcher, MatchQuery, NeedsReview, Rejected } from "../locations/index.ts";
import type { ColumnMapping } from "./schema.ts";

export type LocationReading =
  | { ok: true; locationId: string }
  | { ok: false; kind: "empty" }
  | {
      ok: false;
      kind: "unmatched";
      column: string;
      value: string;
      level: number;
      parent: string | null;
      result: NeedsReview | Rejected;
      why: string;
    };

const EMPTY: LocationReading = { ok: false, kind: "empty" };

function text(raw: RawValue | undefined): string {
  if (raw === null || raw === undefined) return "";
  return (raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw)).trim();
}

function why(result: NeedsReview | Rejected): string {
  if (result.status === "rejected") return "rejected by a decision in the review queue";
  const names = result.suggestions.slice(0, 3).map((s) => `${s.pathNames.join(" / ")} (${s.score.toFixed(2)})`);
  if (result.reason === "ambiguous") return `several locations fit equally well: ${names.join(", ")}; listed for review`;
  return names.length > 0
    ? `no location is close enough (nearest: ${names.join(", ")}); listed for review`
    : "no location has it; listed for review";
}

export function createLocationReader(
  columns: ColumnMapping["location"],
  matcher: Matcher,
  maxCached = 200_000,
): (values: Record<string, RawValue>) => LocationReading {
  const ordered = [...columns].sort((a, b) => a.level - b.level);
  const cache = new Map<string, LocationReading>();

  const resolve = (cells: string[]): LocationReading => {
    let parentId: string | null = null;
    let reading: LocationReading = EMPTY;
    for (let i = 0; i < ordered.length; i++) {
      const value = cells[i];
      if (value.length === 0) continue;
      const col = ordered[i];
      const query: MatchQuery =
        col.by === "id"
          ? { id: value, level: col.level }
          : col.by === "code"
            ? { code: value, level: col.level }
            : { name: value, level: col.level, parentId };
      const result = matcher.match(query);
      if (result.status !== "matched") {
        const parent = parentId === null ? null : (matcher.location(parentId)?.name ?? parentId);
        return { ok: false, kind: "unmatched", column: col.column, value, level: col.level, parent, result, why: why(result) };
      }
      parentId = result.locationId;
      reading = { ok: true, locationId: result.locationId };
    }
    return reading;
  };

  const columnNames = ordered.map((c) => c.column);
  return (values) => {
    // The cache key is built without intermediate arrays: this runs once per row.
    let key = text(values[columnNames[0]]);
    for (let i = 1; i < columnNames.length; i++) key += `\u001f${text(values[columnNames[i]])}`;
    let reading = cache.get(key);
    if (reading === undefined) {
      reading = resolve(columnNames.map((c) => text(values[c])));
      if (cache.size >= maxCached) cache.clear();
      cache.set(key, reading);
    }
    return reading;
  };
}
