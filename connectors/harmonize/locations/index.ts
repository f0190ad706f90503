export { buildHierarchy, levelNameOf, namePaths } from "./hierarchy.ts";
export { hierarchyFromLevelTable } from "./level-table.ts";
export { hierarchyFromDhis2OrgUnits, type Dhis2OrgUnit, type Dhis2OrgUnitLevel } from "./dhis2-org-units.ts";
export { createMatcher, decisionKeyFor, type Matcher } from "./matcher.ts";
export type {
  Matched,
  MatchDecision,
  MatcherOptions,
  MatchMethod,
  MatchQuery,
  MatchResult,
  NeedsReview,
  Rejected,
  Suggestion,
} from "./match-types.ts";
export { createNameNormalizer, DEFAULT_TYPE_WORDS, foldName, type NameNormalizer, similarity, slugify, slugPath } from "./normalize.ts";
export type { HierarchyResult, LevelColumn, LevelNames, SourceLocation } from "./types.ts";
export { type UnmatchedEntry, UnmatchedReport } from "./unmatched.ts";
