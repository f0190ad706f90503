/** DHIS2 period grammar: ids ↔ dates, ADX start/duration, ranges and relative periods. Pure, UTC-free day arithmetic. */
export {
  PeriodError,
  TYPE_INFO,
  type ParsedPeriod,
  type PeriodOptions,
  type PeriodType,
  type TypeInfo,
} from "./model.ts";
export { parsePeriodId, tryParsePeriodId, type TryParseResult } from "./parse.ts";
export { periodForDate } from "./build.ts";
export { parseAdxPeriod, toAdxPeriod } from "./adx.ts";
export { periodRange, nextPeriod, previousPeriod, MAX_RANGE_PERIODS } from "./range.ts";
export { relativePeriods, RELATIVE_PERIOD_KINDS, type RelativePeriodKind } from "./relative.ts";
export { PERIOD_TYPES } from "../../core/types.ts";
