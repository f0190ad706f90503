/** Stepping through periods of one type: next, previous, and every period between two bounds. */

import { periodContainingDay } from "./build.ts";
import { toDay } from "./civil.ts";
import { type ParsedPeriod, PeriodError, type PeriodOptions, type PeriodType, TYPE_INFO } from "./model.ts";
import { parsePeriodId } from "./parse.ts";

/** Refuse ranges longer than this: a typo such as 1024 for 2024 would otherwise build a million daily periods. */
export const MAX_RANGE_PERIODS = 50_000;

function asPeriod(p: ParsedPeriod | string, options: PeriodOptions): ParsedPeriod {
  return typeof p === "string" ? parsePeriodId(p, options) : p;
}

/**
 * The period after `p`: the one containing the day after p ends. For BiWeekly after a BiW27 (which runs into the next
 * year's ISO week 1) this is the next year's BiW1, which overlaps it by a week, exactly as in DHIS2.
 */
export function nextPeriod(p: ParsedPeriod | string, options: PeriodOptions = {}): ParsedPeriod {
  const period = asPeriod(p, options);
  return periodContainingDay(toDay(period.end) + 1, period.periodType, options);
}

/** The period before `p`: the one containing the day before p starts. */
export function previousPeriod(p: ParsedPeriod | string, options: PeriodOptions = {}): ParsedPeriod {
  const period = asPeriod(p, options);
  return periodContainingDay(toDay(period.start) - 1, period.periodType, options);
}

/** A bound is a date (YYYY-MM-DD) or any period id: `from` counts from its first day, `to` up to its last day. */
function boundDay(bound: string | Date, side: "from" | "to", options: PeriodOptions): number {
  if (bound instanceof Date || /^\d{4}-\d{2}-\d{2}([T ].*)?$/.test(bound.trim())) return toDay(bound);
  try {
    const period = parsePeriodId(bound, options);
    return toDay(side === "from" ? period.start : period.end);
  } catch (e) {
    if (e instanceof PeriodError)
      throw new PeriodError(`range ${side} '${bound}' is neither a date nor a period id: ${e.message}`);
    throw e;
  }
}

/**
 * All periods of `type` that overlap [from, to], in order, both ends included.
 * periodRange("Monthly", "2024Q1", "2024-05-10") → 202401 … 202405.
 */
export function periodRange(
  type: PeriodType,
  from: string | Date,
  to: string | Date,
  options: PeriodOptions = {},
): ParsedPeriod[] {
  if (!(type in TYPE_INFO)) throw new PeriodError(`'${type}' is not a DHIS2 period type`);
  const first = boundDay(from, "from", options);
  const last = boundDay(to, "to", options);
  if (first > last) throw new PeriodError(`range from '${String(from)}' to '${String(to)}': 'from' is after 'to'`);
  const periods: ParsedPeriod[] = [];
  let period = periodContainingDay(first, type, options);
  while (toDay(period.start) <= last) {
    periods.push(period);
    if (periods.length > MAX_RANGE_PERIODS) {
      throw new PeriodError(
        `range ${String(from)} to ${String(to)} holds more than ${MAX_RANGE_PERIODS} ${type} periods; narrow it`,
      );
    }
    period = periodContainingDay(toDay(period.end) + 1, type, options);
  }
  return periods;
}
