/**
 * Lookup structures over the canonical locations, built once per matcher: by id, code, exact/folded/core name, level and
 * ancestor. The exact and normalized steps are map look-ups, so a hierarchy of 100k facilities costs nothing per value;
 * only the fuzzy step scans, and only the candidates in scope.
 */
import type { LocationRow } from "../../core/types.ts";
import { type NameNormalizer, sortWords } from "./normalize.ts";

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

export class LocationIndex {
  readonly locations: readonly LocationRow[];
  readonly full: string[];
  readonly core: string[];
  /** `core` with its words sorted, for names whose words come in another order ("Govt. Hosp. Makeni"). */
  readonly sortedCore: string[];
  readonly byId = new Map<string, number>();
  readonly byCode = new Map<string, number[]>();
  readonly byExact = new Map<string, number[]>();
  readonly byFull = new Map<string, number[]>();
  readonly byCore = new Map<string, number[]>();
  private readonly ancestors: Set<string>[];
  private readonly descendants = new Map<string, number[]>();
  private readonly all: number[];
  private readonly scopeCache = new Map<string, number[]>();
  private readonly pathNameCache = new Map<number, string[]>();

  constructor(locations: readonly LocationRow[], normalizer: NameNormalizer) {
    this.locations = locations;
    this.full = locations.map((l) => normalizer.full(l.name));
    this.core = locations.map((l) => normalizer.core(l.name));
    this.sortedCore = this.core.map(sortWords);
    this.all = locations.map((_, i) => i);
    this.ancestors = locations.map((l) => {
      const ids = l.path.split("/").filter((s) => s.length > 0 && s !== l.location_id);
      if (l.parent_id) ids.push(l.parent_id);
      return new Set(ids);
    });
    locations.forEach((l, i) => {
      this.byId.set(l.location_id, i);
      if (l.code) push(this.byCode, l.code, i);
      push(this.byExact, l.name.trim(), i);
      push(this.byFull, this.full[i], i);
      push(this.byCore, this.core[i], i);
      for (const ancestor of this.ancestors[i]) push(this.descendants, ancestor, i);
    });
  }

  /** Whether location `index` fits the query's level and lies under one of `ancestorIds` (null: anywhere). */
  inScope(index: number, level: number | null, ancestorIds: readonly string[] | null): boolean {
    if (level !== null && this.locations[index].level !== level) return false;
    if (ancestorIds === null) return true;
    const mine = this.ancestors[index];
    return ancestorIds.some((a) => mine.has(a));
  }

  /** All candidates for the fuzzy step, cached per (level, ancestors). */
  scope(level: number | null, ancestorIds: readonly string[] | null): number[] {
    const key = `${level ?? "*"}|${ancestorIds?.join(",") ?? "*"}`;
    const cached = this.scopeCache.get(key);
    if (cached) return cached;
    let base: number[];
    if (ancestorIds === null) base = this.all;
    else base = [...new Set(ancestorIds.flatMap((a) => this.descendants.get(a) ?? []))];
    const result = level === null ? base : base.filter((i) => this.locations[i].level === level);
    this.scopeCache.set(key, result);
    return result;
  }

  pathNames(index: number): string[] {
    const cached = this.pathNameCache.get(index);
    if (cached) return cached;
    const names = this.locations[index].path
      .split("/")
      .filter((s) => s.length > 0)
      .map((id) => {
        const i = this.byId.get(id);
        return i === undefined ? id : this.locations[i].name;
      });
    this.pathNameCache.set(index, names);
    return names;
  }
}
