/**
 * Calendar arithmetic on whole days, with no Date and no time zone: a day is an integer counted from 1970-01-01
 * (proleptic Gregorian, Howard Hinnant's civil-days algorithms). Pure integers cannot drift by a daylight-saving hour.
 */
import { PeriodError } from "./model.ts";

/** Days since 1970-01-01 of a Gregorian date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = year - (month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/** Months counted from year 0: lets month-based periods step across years with plain integer division. */
export function monthNumber(year: number, month: number): number {
  return year * 12 + (month - 1);
}

export function firstDayOfMonthNumber(n: number): number {
  return daysFromCivil(Math.floor(n / 12), (((n % 12) + 12) % 12) + 1, 1);
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function formatDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Checks a calendar date and returns its day number, or a reason it is not a date. */
export function checkedDay(year: number, month: number, day: number): number | string {
  if (month < 1 || month > 12) return `month must be 01–12, not ${pad(month, 2)}`;
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return `day must be 01–${last} in ${MONTH_NAMES[month - 1]} ${year}, not ${pad(day, 2)}`;
  return daysFromCivil(year, month, day);
}

/**
 * A calendar date as a day number. Strings are `YYYY-MM-DD`, optionally followed by a time (`2024-01-05T10:00Z`, whose
 * date part is taken as written). A Date is read in UTC, so the same instant gives the same day on every server.
 */
export function toDay(date: string | Date): number {
  if (date instanceof Date) {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new PeriodError("invalid Date object");
    return Math.floor(ms / 86_400_000);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(date.trim());
  if (!m) throw new PeriodError(`'${date}' is not a date (expected YYYY-MM-DD)`);
  const day = checkedDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (typeof day === "string") throw new PeriodError(`'${date}' is not a date: ${day}`);
  return day;
}
