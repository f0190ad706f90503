/**
 * Matches what a source says about a location to a canonical location, in order of certainty:
 * exact id/code → a person's decision → exact name in the parent → normalized name → fuzzy above a threshold → review.
 * Two candidates equally good are never guessed between: the value goes to review with its suggestions.
 */
import type { LocationRow } from "../../core/types.ts";
import { LocationIndex } from "./location-index.ts";
import type { MatchDecision, MatcherOptions, MatchQuery, MatchResult, NeedsReview, Suggestion } from "./match-types.ts";
import { createNameNormalizer, DEFAULT_TYPE_WORDS, type NameNormalizer, similarity, sortWords } from "./normalize.ts";

export interface Matcher {
  match(query: MatchQuery): MatchResult;
  /** The key under which a decision about this value is stored. */
  decisionKey(query: MatchQuery): string;
  /** Decisions that name a location no longer in the hierarchy; they are not applied. */
  staleDecisions: readonly MatchDecision[];
  /** The canonical location by id (for labels in reports). */
  location(id: string): LocationRow | undefined;
}

function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** Decision key: level, parent and the folded value ("3|in:O6uvpzGd5pu|badja"); stable across runs and spellings of case. */
export function decisionKeyFor(query: MatchQuery, normalizer: NameNormalizer): string {
  const level = query.level ?? "*";
  const parentId = clean(query.parentId);
  const parentName = clean(query.parentName);
  const parent = parentId !== null ? `in:${parentId}` : parentName !== null ? `under:${normalizer.full(parentName)}` : "*";
  const name = clean(query.name);
  const code = clean(query.code);
  const id = clean(query.id);
  const value = name !== null ? normalizer.full(name) : code !== null ? `code:${code}` : id !== null ? `id:${id}` : "(empty)";
  return `${level}|${parent}|${value}`;
}

export function createMatcher(locations: readonly LocationRow[], options: MatcherOptions = {}): Matcher {
  const normalizer = createNameNormalizer(options.typeWords ?? DEFAULT_TYPE_WORDS);
  const threshold = options.fuzzyThreshold ?? 0.85;
  const margin = options.ambiguityMargin ?? 0.02;
  const maxSuggestions = options.maxSuggestions ?? 5;
  const index = new LocationIndex(locations, normalizer);

  const decisions = new Map<string, string | null>();
  const staleDecisions: MatchDecision[] = [];
  for (const d of options.decisions ?? []) {
    if (d.locationId !== null && !index.byId.has(d.locationId)) staleDecisions.push(d);
    else decisions.set(d.sourceValue, d.locationId);
  }

  const suggestion = (i: number, score: number): Suggestion => ({
    locationId: locations[i].location_id,
    name: locations[i].name,
    pathNames: index.pathNames(i),
    score,
  });
  const review = (key: string, reason: NeedsReview["reason"], scored: { i: number; score: number }[]): NeedsReview => ({
    status: "review",
    key,
    reason,
    suggestions: scored.slice(0, maxSuggestions).map((s) => suggestion(s.i, s.score)),
  });

  /** Ancestors that restrict the search; null when the query names none, or names one we cannot find. */
  const ancestorsOf = (query: MatchQuery, level: number | null): string[] | null => {
    const parentId = clean(query.parentId);
    if (parentId !== null && index.byId.has(parentId)) return [parentId];
    const parentName = clean(query.parentName);
    if (parentName === null) return null;
    const aboveLevel = (i: number) => level === null || locations[i].level < level;
    for (const hits of [
      index.byExact.get(parentName),
      index.byFull.get(normalizer.full(parentName)),
      index.byCore.get(normalizer.core(parentName)),
    ]) {
      const found = (hits ?? []).filter(aboveLevel);
      if (found.length > 0) return found.map((i) => locations[i].location_id);
    }
    return null;
  };

  const match = (query: MatchQuery): MatchResult => {
    const level = query.level ?? null;
    const levelOk = (i: number) => level === null || locations[i].level === level;
    const id = clean(query.id);
    if (id !== null) {
      const i = index.byId.get(id);
      if (i !== undefined && levelOk(i)) return { status: "matched", locationId: id, method: "id", score: 1 };
    }
    const code = clean(query.code);
    const key = decisionKeyFor(query, normalizer);
    if (code !== null) {
      const hits = (index.byCode.get(code) ?? []).filter(levelOk);
      if (hits.length === 1) return { status: "matched", locationId: locations[hits[0]].location_id, method: "code", score: 1 };
      if (hits.length > 1)
        return review(
          key,
          "ambiguous",
          hits.map((i) => ({ i, score: 1 })),
        );
    }
    if (decisions.has(key)) {
      const decided = decisions.get(key) ?? null;
      return decided === null
        ? { status: "rejected", key }
        : { status: "matched", locationId: decided, method: "decision", score: 1 };
    }
    const name = clean(query.name);
    if (name === null) return review(key, "no-match", []);

    const ancestors = ancestorsOf(query, level);
    const inScope = (i: number) => index.inScope(i, level, ancestors);
    const steps: [Map<string, number[]>, string, "name-in-parent" | "normalized"][] = [
      [index.byExact, name, "name-in-parent"],
      [index.byFull, normalizer.full(name), "normalized"],
      [index.byCore, normalizer.core(name), "normalized"],
    ];
    for (const [map, value, method] of steps) {
      const hits = (map.get(value) ?? []).filter(inScope);
      if (hits.length === 1) return { status: "matched", locationId: locations[hits[0]].location_id, method, score: 1 };
      if (hits.length > 1)
        return review(
          key,
          "ambiguous",
          hits.map((i) => ({ i, score: 1 })),
        );
    }

    // Fuzzy: the best of the folded, the core and the word-sorted core similarity, so a typo in a type word ("CHCC")
    // or words in another order ("Makeni Govt Hospital" for "Govt. Hosp. Makeni") still score high.
    const full = normalizer.full(name);
    const core = normalizer.core(name);
    const sorted = sortWords(core);
    const scoreOf = (i: number) => {
      const best = Math.max(similarity(full, index.full[i]), similarity(core, index.core[i]));
      return sorted === core && index.sortedCore[i] === index.core[i]
        ? best
        : Math.max(best, similarity(sorted, index.sortedCore[i]));
    };
    const scored = index
      .scope(level, ancestors)
      .map((i) => ({ i, score: scoreOf(i) }))
      .sort((a, b) => b.score - a.score || locations[a.i].name.localeCompare(locations[b.i].name));
    const best = scored[0];
    if (best && best.score >= threshold) {
      const second = scored[1];
      if (!second || second.score < best.score - margin) {
        return { status: "matched", locationId: locations[best.i].location_id, method: "fuzzy", score: best.score };
      }
      return review(key, "ambiguous", scored);
    }
    return review(key, "no-match", scored);
  };

  return {
    match,
    decisionKey: (query) => decisionKeyFor(query, normalizer),
    staleDecisions,
    location: (id) => {
      const i = index.byId.get(id);
      return i === undefined ? undefined : locations[i];
    },
  };
}
