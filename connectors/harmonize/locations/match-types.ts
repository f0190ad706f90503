/** What a source says about a location, and what the matcher answers. */

export interface MatchQuery {
  id?: string | null;
  code?: string | null;
  name?: string | null;
  /** A known ancestor (usually the parent; any ancestor works, so a table may skip a level). Restricts the search. */
  parentId?: string | null;
  /** The parent's name as the source writes it; resolved by name and used like `parentId`. */
  parentName?: string | null;
  level?: number | null;
}

export type MatchMethod = "id" | "code" | "name-in-parent" | "normalized" | "fuzzy" | "decision";

export interface Suggestion {
  locationId: string;
  name: string;
  /** Names from the root down, the suggestion's own name last. */
  pathNames: string[];
  score: number;
}

export interface Matched {
  status: "matched";
  locationId: string;
  method: MatchMethod;
  score: number;
}

export interface NeedsReview {
  status: "review";
  /** The decision key for this value: a decision stored under it settles the value in later runs. */
  key: string;
  /** "ambiguous": several candidates equally good; "no-match": none good enough. */
  reason: "ambiguous" | "no-match";
  /** Best first, at most `maxSuggestions`. */
  suggestions: Suggestion[];
}

export interface Rejected {
  status: "rejected";
  key: string;
}

export type MatchResult = Matched | NeedsReview | Rejected;

/**
 * A person's answer for one source value, persisted by the caller and passed back on later runs.
 * `locationId: null` rejects the value (it stays unmatched, listed, never guessed).
 */
export interface MatchDecision {
  /** The key from a review result (`decisionKey`): normalized value, level and parent. */
  sourceValue: string;
  locationId: string | null;
}

export interface MatcherOptions {
  /** Words a name may carry or lack ("District", "CHC"...). Default: `DEFAULT_TYPE_WORDS`. */
  typeWords?: readonly string[];
  /** Minimum similarity (0–1) for a fuzzy match. Default 0.85. */
  fuzzyThreshold?: number;
  /** Fuzzy candidates within this much of the best are "equally good": the value goes to review. Default 0.02. */
  ambiguityMargin?: number;
  decisions?: readonly MatchDecision[];
  /** Default 5. */
  maxSuggestions?: number;
}
