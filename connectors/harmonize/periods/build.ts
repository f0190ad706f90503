/**
 * Builds periods from (type, label year, index) and finds the period of a type that contains a day.
 * Both directions go through the same shape arithmetic, so an id and its dates cannot disagree.
 */
import { civilFromDays, firstDayOfMonthNumber, formatDay, monthNumber, pad, toDay } from "./civil.ts";
import {
  type ParsedPeriod,
  PeriodError,
  type PeriodOptions,
  type PeriodType,
  shapeOf,
  TYPE_INFO,
  WEEKDAY_NAMES,
} from "./model.ts";
import { weekOf, weekOneStart, weeksInYear } from "./weeks.ts";

function labelYear(year: number, subject: string): string {
  if (!Number.isInteger(year) || year < 0 || year > 9999) {
    throw new PeriodError(`${subject}: year ${year} cannot be written with the 4 digits DHIS2 period ids use`);
  }
  return pad(year, 4);
}

function make(type: PeriodType, periodId: string, start: number, end: number): ParsedPeriod {
  return { periodType: type, periodId, start: formatDay(start), end: formatDay(end) };
}

export function dailyPeriod(day: number, subject: string): ParsedPeriod {
  const { year, month, day: d } = civilFromDays(day);
  return make("Daily", `${labelYear(year, subject)}${pad(month, 2)}${pad(d, 2)}`, day, day);
}

/** Why an index is out of range for its year, worded for the person who typed the id. */
function indexRangeReason(type: PeriodType, year: number, index: number, max: number, weekStart: number): string {
  switch (type) {
    case "Monthly":
      return `month must be 01–12, not ${pad(index, 2)}`;
    case "BiMonthly":
      return (
        `bi-month index must be 01–06, not ${pad(index, 2)} (it counts two-month blocks, not months: ` +
        `${year}01B = Jan–Feb, ${year}02B = Mar–Apr, ${year}06B = Nov–Dec)`
      );
    case "Quarterly":
    case "QuarterlyNov":
      return `quarter must be 1–4, not ${index}`;
    case "SixMonthly":
    case "SixMonthlyApril":
    case "SixMonthlyNov":
      return `half-year must be 1 or 2, not ${index}`;
    case "BiWeekly":
      if (index < 1) return `bi-week must be 1 or more, not ${index}`;
      return `${year} has only ${max} bi-weeks (BiW27 exists only in years with 53 ISO weeks)`;
    default: {
      if (index < 1) return `week must be 1 or more, not ${index}`;
      const kind = weekStart === 1 ? "ISO" : `${WEEKDAY_NAMES[weekStart]}-start`;
      return `${year} has only ${max} ${kind} weeks`;
    }
  }
}

/** The `index`-th period (1-based) of label year `year`; throws a PeriodError naming `subject` when it does not exist. */
export function periodAt(
  type: PeriodType,
  year: number,
  index: number,
  subject: string,
  options: PeriodOptions = {},
): ParsedPeriod {
  const shape = shapeOf(type, options);
  const label = labelYear(year, subject);
  const id = TYPE_INFO[type].format(label, index);
  if (shape.kind === "day") throw new Error("periodAt is not for Daily periods: use dailyPeriod");
  if (shape.kind === "week") {
    const max = Math.ceil(weeksInYear(year, shape.weekStart) / shape.span);
    if (index < 1 || index > max) {
      throw new PeriodError(`${subject}: ${indexRangeReason(type, year, index, max, shape.weekStart)}`);
    }
    const start = weekOneStart(year, shape.weekStart) + (index - 1) * 7 * shape.span;
    return make(type, id, start, start + 7 * shape.span - 1);
  }
  const perYear = 12 / shape.months;
  if (index < 1 || index > perYear) {
    throw new PeriodError(`${subject}: ${indexRangeReason(type, year, index, perYear, 1)}`);
  }
  const yearStart = monthNumber(year - (shape.endYearLabel ? 1 : 0), shape.anchor);
  const first = yearStart + (index - 1) * shape.months;
  return make(type, id, firstDayOfMonthNumber(first), firstDayOfMonthNumber(first + shape.months) - 1);
}

/** The period of `type` containing a day number. */
export function periodContainingDay(day: number, type: PeriodType, options: PeriodOptions = {}): ParsedPeriod {
  const subject = `${formatDay(day)} as ${type}`;
  const shape = shapeOf(type, options);
  if (shape.kind === "day") return dailyPeriod(day, subject);
  if (shape.kind === "week") {
    // BiWeekly follows ISO weeks: a day in ISO week 53 belongs to BiW27, which runs on into the next year's week 1.
    const { year, week } = weekOf(day, shape.weekStart);
    return periodAt(type, year, Math.ceil(week / shape.span), subject, options);
  }
  const { year, month } = civilFromDays(day);
  const sinceAnchor = monthNumber(year, month) - monthNumber(0, shape.anchor);
  const startYear = Math.floor(sinceAnchor / 12);
  const index = Math.floor((sinceAnchor - startYear * 12) / shape.months) + 1;
  return periodAt(type, startYear + (shape.endYearLabel ? 1 : 0), index, subject, options);
}

/**
 * The period of `type` containing a date: `YYYY-MM-DD` (a trailing time is ignored) or a Date read in UTC.
 * Used to file spreadsheet dates under a chosen period type.
 */
export function periodForDate(date: string | Date, type: PeriodType, options: PeriodOptions = {}): ParsedPeriod {
  if (!(type in TYPE_INFO)) throw new PeriodError(`'${type}' is not a DHIS2 period type`);
  return periodContainingDay(toDay(date), type, options);
}
