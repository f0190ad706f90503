/**
 * DHIS2 relative periods as used by period pickers. As in DHIS2, "last N" never includes the current period:
 * on 2024-05-15, LAST_3_MONTHS is 202402, 202403, 202404. Periods come back oldest first.
 */

import { periodContainingDay } from "./build.ts";
import { toDay } from "./civil.ts";
import { type ParsedPeriod, PeriodError, type PeriodOptions, type PeriodType } from "./model.ts";
import { previousPeriod } from "./range.ts";

type Family = "day" | "week" | "biweek" | "month" | "bimonth" | "quarter" | "sixmonth" | "year" | "financial";

const FAMILY_TYPES: Record<Family, PeriodType[]> = {
  day: ["Daily"],
  week: ["Weekly", "WeeklyWednesday", "WeeklyThursday", "WeeklyFriday", "WeeklySaturday", "WeeklySunday"],
  biweek: ["BiWeekly"],
  month: ["Monthly"],
  bimonth: ["BiMonthly"],
  quarter: ["Quarterly", "QuarterlyNov"],
  sixmonth: ["SixMonthly", "SixMonthlyApril", "SixMonthlyNov"],
  year: [
    "Yearly",
    "FinancialFeb",
    "FinancialApril",
    "FinancialJuly",
    "FinancialAug",
    "FinancialSep",
    "FinancialOct",
    "FinancialNov",
  ],
  financial: ["FinancialFeb", "FinancialApril", "FinancialJuly", "FinancialAug", "FinancialSep", "FinancialOct", "FinancialNov"],
};

/** kind → [family, how many periods, whether the current period is the one meant (THIS_…) rather than those before]. */
const KINDS = {
  TODAY: ["day", 1, true],
  YESTERDAY: ["day", 1, false],
  LAST_3_DAYS: ["day", 3, false],
  LAST_7_DAYS: ["day", 7, false],
  LAST_14_DAYS: ["day", 14, false],
  LAST_30_DAYS: ["day", 30, false],
  THIS_WEEK: ["week", 1, true],
  LAST_WEEK: ["week", 1, false],
  LAST_4_WEEKS: ["week", 4, false],
  LAST_12_WEEKS: ["week", 12, false],
  LAST_52_WEEKS: ["week", 52, false],
  THIS_BIWEEK: ["biweek", 1, true],
  LAST_BIWEEK: ["biweek", 1, false],
  LAST_4_BIWEEKS: ["biweek", 4, false],
  THIS_MONTH: ["month", 1, true],
  LAST_MONTH: ["month", 1, false],
  LAST_3_MONTHS: ["month", 3, false],
  LAST_6_MONTHS: ["month", 6, false],
  LAST_12_MONTHS: ["month", 12, false],
  THIS_BIMONTH: ["bimonth", 1, true],
  LAST_BIMONTH: ["bimonth", 1, false],
  LAST_6_BIMONTHS: ["bimonth", 6, false],
  THIS_QUARTER: ["quarter", 1, true],
  LAST_QUARTER: ["quarter", 1, false],
  LAST_4_QUARTERS: ["quarter", 4, false],
  THIS_SIX_MONTH: ["sixmonth", 1, true],
  LAST_SIX_MONTH: ["sixmonth", 1, false],
  LAST_2_SIXMONTHS: ["sixmonth", 2, false],
  THIS_YEAR: ["year", 1, true],
  LAST_YEAR: ["year", 1, false],
  LAST_5_YEARS: ["year", 5, false],
  LAST_10_YEARS: ["year", 10, false],
  THIS_FINANCIAL_YEAR: ["financial", 1, true],
  LAST_FINANCIAL_YEAR: ["financial", 1, false],
  LAST_5_FINANCIAL_YEARS: ["financial", 5, false],
} as const satisfies Record<string, readonly [Family, number, boolean]>;

export type RelativePeriodKind = keyof typeof KINDS;
export const RELATIVE_PERIOD_KINDS = Object.keys(KINDS) as RelativePeriodKind[];

/**
 * The periods a relative period stands for on `today` (a Date read in UTC, or YYYY-MM-DD).
 * `type` picks the variant within the kind's family: a weekday-start week for the week kinds, QuarterlyNov,
 * SixMonthlyApril/Nov, or a financial year for the year kinds. The *_FINANCIAL_YEAR kinds require it, since
 * the financial year start is a per-server DHIS2 setting.
 */
export function relativePeriods(kind: RelativePeriodKind, today: Date | string): ParsedPeriod[];
export function relativePeriods(
  kind: RelativePeriodKind,
  type: PeriodType | undefined,
  today: Date | string,
  options?: PeriodOptions,
): ParsedPeriod[];
export function relativePeriods(
  kind: RelativePeriodKind,
  typeOrToday: PeriodType | undefined | Date | string,
  maybeToday?: Date | string,
  options: PeriodOptions = {},
): ParsedPeriod[] {
  const spec = (KINDS as Record<string, readonly [Family, number, boolean]>)[kind];
  if (!spec) throw new PeriodError(`'${kind}' is not a relative period (known: ${RELATIVE_PERIOD_KINDS.join(", ")})`);
  const [family, count, includesCurrent] = spec;
  const twoArgs = maybeToday === undefined && (typeOrToday instanceof Date || /^\d{4}-\d{2}-\d{2}/.test(String(typeOrToday)));
  const today = twoArgs ? (typeOrToday as Date | string) : maybeToday;
  const type = twoArgs ? undefined : (typeOrToday as PeriodType | undefined);
  if (today === undefined) throw new PeriodError(`${kind}: no 'today' date given`);
  const allowed = FAMILY_TYPES[family];
  if (type === undefined && family === "financial") {
    throw new PeriodError(`${kind}: give the financial year type (${allowed.join(", ")})`);
  }
  const chosen = type ?? allowed[0];
  if (!allowed.includes(chosen)) {
    throw new PeriodError(`${kind}: period type ${chosen} does not fit; use one of ${allowed.join(", ")}`);
  }
  let period = periodContainingDay(toDay(today), chosen, options);
  if (!includesCurrent) period = previousPeriod(period, options);
  const periods = [period];
  while (periods.length < count) periods.unshift(previousPeriod(periods[0], options));
  return periods;
}
