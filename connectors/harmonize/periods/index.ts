/** DHIS2 period grammar: ids ↔ dates, ADX start/duration, ranges and relative periods. Pure, UTC-free day arithmetic. */

export { PERIOD_TYPES } from "../../core/types.ts";
export { parseAdxPeriod, toAdxPeriod } from "./adx.ts";
export { periodForDate } from "./build.ts";
export {
  type ParsedPeriod,
  PeriodError,
  type PeriodOptions,
  type PeriodType,
  TYPE_INFO,
  type TypeInfo,
} from "./model.ts";
export { parsePeriodId, type TryParseResult, tryParsePeriodId } from "./parse.ts";
export { MAX_RANGE_PERIODS, nextPeriod, periodRange, previousPeriod } from "./range.ts";
export { RELATIVE_PERIOD_KINDS, type RelativePeriodKind, relativePeriods } from "./relative.ts";
