export { type Dhis2OrgUnit, type Dhis2OrgUnitLevel, hierarchyFromDhis2OrgUnits } from "./dhis2-org-units.ts";
export { buildHierarchy, levelNameOf, namePaths } from "./hierarchy.ts";
export { hierarchyFromLevelTable } from "./level-table.ts";
export type {
  MatchDecision,
  Matched,
  MatcherOptions,
  MatchMethod,
  MatchQuery,
  MatchResult,
  NeedsReview,
  Rejected,
  Suggestion,
} from "./match-types.ts";
export { createMatcher, decisionKeyFor, type Matcher } from "./matcher.ts";
export {
  createNameNormalizer,
  DEFAULT_TYPE_WORDS,
  foldName,
  type NameNormalizer,
  similarity,
  slugify,
  slugPath,
  sortWords,
} from "./normalize.ts";
export type { HierarchyResult, LevelColumn, LevelNames, SourceLocation } from "./types.ts";
export { type UnmatchedEntry, UnmatchedReport } from "./unmatched.ts";
