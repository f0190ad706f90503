/**
 * The grant picker's location search (any level of the hierarchy): by name, ignoring case and accents, optionally
 * within one level. Pure, so it is tested without a database; the hierarchy comes in, at most `limit` matches go out.
 */
export interface SearchableLocation {
  location_id: string;
  name: string;
  level: number;
  level_name: string;
  parent_id: string | null;
  path: string;
}

export interface LocationMatch {
  path: string;
  name: string;
  level: number;
  levelName: string;
  /** Names of the ancestors from the top, to tell apart places with one name ("Bo" district vs a "Bo" chiefdom). */
  within: string[];
}

export function foldName(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Names starting with the query come first, then names containing it; within each, higher levels (fewer rows) first,
 * then by name. An empty query lists a level's locations (a level is required then: the whole tree is too many).
 */
export function searchLocations(
  hierarchy: readonly SearchableLocation[],
  query: { q: string; level?: number | null; limit?: number },
): LocationMatch[] {
  const needle = foldName(query.q);
  const level = query.level ?? null;
  if (!needle && level === null) return [];
  const byId = new Map(hierarchy.map((l) => [l.location_id, l]));
  const scored: { rank: number; l: SearchableLocation }[] = [];
  for (const l of hierarchy) {
    if (level !== null && l.level !== level) continue;
    const name = foldName(l.name);
    const at = needle ? name.indexOf(needle) : 0;
    if (at < 0) continue;
    scored.push({ rank: at === 0 ? 0 : 1, l });
  }
  scored.sort((a, b) => a.rank - b.rank || a.l.level - b.l.level || a.l.name.localeCompare(b.l.name));
  return scored.slice(0, query.limit ?? 30).map(({ l }) => ({
    path: l.path,
    name: l.name,
    level: l.level,
    levelName: l.level_name,
    within: ancestors(l, byId),
  }));
}

function ancestors(l: SearchableLocation, byId: Map<string, SearchableLocation>): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  let parent = l.parent_id ? byId.get(l.parent_id) : undefined;
  while (parent && !seen.has(parent.location_id)) {
    seen.add(parent.location_id);
    names.unshift(parent.name);
    parent = parent.parent_id ? byId.get(parent.parent_id) : undefined;
  }
  return names;
}
