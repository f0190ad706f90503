/**
 * Week-based years for any first weekday, as java.time's WeekFields(firstDay, 4) which DHIS2 uses: week 1 is the week
 * holding at least four days of the new year, i.e. the week that contains 4 January. With Monday this is the ISO week.
 */
import { civilFromDays, daysFromCivil, isoWeekday } from "./civil.ts";

/** The day a week starting on `weekStart` (1 = Monday … 7 = Sunday) begins, for the week containing `day`. */
export function startOfWeek(day: number, weekStart: number): number {
  return day - ((isoWeekday(day) - weekStart + 7) % 7);
}

export function weekOneStart(year: number, weekStart: number): number {
  return startOfWeek(daysFromCivil(year, 1, 4), weekStart);
}

/** 52 or 53. Depends on the first weekday: 2020 has 53 ISO weeks but 52 Wednesday-start weeks. */
export function weeksInYear(year: number, weekStart: number): number {
  return (weekOneStart(year + 1, weekStart) - weekOneStart(year, weekStart)) / 7;
}

export interface WeekOfYear {
  /** The week-based year, which differs from the calendar year in the first and last days of a year. */
  year: number;
  week: number;
}

export function weekOf(day: number, weekStart: number): WeekOfYear {
  const calendarYear = civilFromDays(day).year;
  for (const year of [calendarYear + 1, calendarYear, calendarYear - 1]) {
    const first = weekOneStart(year, weekStart);
    if (day >= first) return { year, week: Math.floor((day - first) / 7) + 1 };
  }
  throw new Error(`unreachable: no week-based year for day ${day}`);
}
