/**
 * ADX periods: ISO 8601 `<start date>/<duration>` (IHE ADX, dhis2-core AdxPeriod). Unlike dhis2-core, which files any
 * start date under the period containing it, a start/duration is accepted only when it is exactly one DHIS2 period:
 * "2024-01-15/P1M" is a month that DHIS2 does not have, and silently reading it as 202401 would move data.
 */

import { periodContainingDay } from "./build.ts";
import { formatDay, isoWeekday, toDay } from "./civil.ts";
import {
  type ParsedPeriod,
  PeriodError,
  type PeriodOptions,
  type PeriodType,
  TYPE_INFO,
  WEEKDAY_NAMES,
  weeklyTypeStartingOn,
} from "./model.ts";

/** Durations accepted, with the DHIS2 types each may be; aliases (P1W, P2W, P12M) are the same lengths spelled otherwise. */
const CANDIDATES: Record<string, { types: PeriodType[]; rule: string }> = {
  P1D: { types: ["Daily"], rule: "any day" },
  P7D: { types: [], rule: "a Monday (Weekly), Wednesday, Thursday, Friday, Saturday or Sunday (WeeklyWednesday…)" },
  P14D: { types: ["BiWeekly"], rule: "the Monday of an odd ISO week (BiWeekly)" },
  P1M: { types: ["Monthly"], rule: "the 1st of a month" },
  P2M: { types: ["BiMonthly"], rule: "1 Jan, Mar, May, Jul, Sep or Nov (BiMonthly)" },
  P3M: {
    types: ["Quarterly", "QuarterlyNov"],
    rule: "1 Jan, Apr, Jul or Oct (Quarterly) or 1 Feb, May, Aug or Nov (QuarterlyNov)",
  },
  P6M: {
    types: ["SixMonthly", "SixMonthlyApril", "SixMonthlyNov"],
    rule: "1 Jan or Jul (SixMonthly), 1 Apr or Oct (SixMonthlyApril) or 1 May or Nov (SixMonthlyNov)",
  },
  P1Y: {
    types: [
      "Yearly",
      "FinancialFeb",
      "FinancialApril",
      "FinancialJuly",
      "FinancialAug",
      "FinancialSep",
      "FinancialOct",
      "FinancialNov",
    ],
    rule: "1 Jan (Yearly) or 1 Feb, Apr, Jul, Aug, Sep, Oct or Nov (financial years)",
  },
};
const ALIASES: Record<string, string> = { P1W: "P7D", P2W: "P14D", P12M: "P1Y" };

/** Parses an ADX period such as `2015-01-01/P1M` into the DHIS2 period it denotes. */
export function parseAdxPeriod(text: string, options: PeriodOptions = {}): ParsedPeriod {
  const trimmed = String(text).trim();
  const parts = trimmed.split("/");
  if (parts.length !== 2) {
    throw new PeriodError(`ADX period '${text}': expected <start date>/<duration>, e.g. 2015-01-01/P1M`);
  }
  const [startText, durationText] = parts;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startText)) {
    throw new PeriodError(`ADX period '${trimmed}': start '${startText}' must be a date written YYYY-MM-DD`);
  }
  let day: number;
  try {
    day = toDay(startText);
  } catch (e) {
    throw new PeriodError(`ADX period '${trimmed}': ${(e as Error).message}`);
  }
  const duration = ALIASES[durationText] ?? durationText;
  const candidates = CANDIDATES[duration];
  if (!candidates) {
    const known = Object.keys(CANDIDATES).join(", ");
    throw new PeriodError(`ADX period '${trimmed}': duration '${durationText}' is not one DHIS2 uses (${known})`);
  }
  let types = candidates.types;
  if (duration === "P7D") {
    const weekday = isoWeekday(day);
    const weekly = weeklyTypeStartingOn(weekday);
    if (!weekly) {
      throw new PeriodError(
        `ADX period '${trimmed}': ${startText} is a ${WEEKDAY_NAMES[weekday]}, and DHIS2 has no weeks starting on ` +
          `${WEEKDAY_NAMES[weekday]}s: a P7D period must start on ${candidates.rule}`,
      );
    }
    types = [weekly];
  }
  for (const type of types) {
    const period = periodContainingDay(day, type, options);
    if (period.start === formatDay(day)) return period;
  }
  throw new PeriodError(
    `ADX period '${trimmed}': ${startText}/${duration} is not exactly one DHIS2 period; ` +
      `a ${duration} period must start on ${candidates.rule}`,
  );
}

/** The ADX form of a period, e.g. 202401 → 2024-01-01/P1M (as dhis2-core AdxPeriod.serialize). */
export function toAdxPeriod(period: Pick<ParsedPeriod, "periodType" | "start">): string {
  const info = TYPE_INFO[period.periodType];
  if (!info) throw new PeriodError(`'${period.periodType}' is not a DHIS2 period type`);
  return `${period.start}/${info.isoDuration}`;
}
