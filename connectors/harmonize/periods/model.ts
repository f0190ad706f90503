/**
 * What each DHIS2 period type is made of (see ../shared/fixtures/SOURCES.md, "DHIS2 period identifier rules").
 * Three shapes cover them all: single days, runs of weeks from a first weekday, and runs of months from an anchor month.
 */
import type { PeriodType } from "../../core/types.ts";

export type { PeriodType };

/** A period with its canonical DHIS2 id and inclusive first and last days (`YYYY-MM-DD`). */
export interface ParsedPeriod {
  periodType: PeriodType;
  periodId: string;
  start: string;
  end: string;
}

export class PeriodError extends Error {
  override name = "PeriodError";
}

/**
 * FinancialNov is labelled by its END year in dhis2-core (2025Nov = Nov 2024–Oct 2025) but by its START year in
 * @dhis2/multi-calendar-dates (2023Nov = Nov 2023–Oct 2024). Default: dhis2-core, which is what its API stores and serves.
 */
export interface PeriodOptions {
  financialNovLabel?: "end-year" | "start-year";
}

export type Shape =
  | { kind: "day" }
  /** `span` weeks per period (BiWeekly = 2 ISO weeks: BiW n starts at ISO week 2n-1). */
  | { kind: "week"; weekStart: number; span: 1 | 2 }
  /** Year `label` starts in month `anchor` of `label - 1` when labelled by end year, else of `label`. */
  | { kind: "month"; months: 1 | 2 | 3 | 6 | 12; anchor: number; endYearLabel: boolean };

export interface TypeInfo {
  shape: Shape;
  /** ISO 8601 duration, as DHIS2's /api/periodTypes `isoDuration` and ADX. */
  isoDuration: string;
  /** DHIS2's `frequencyOrder`: rough days per period, for sorting types from fine to coarse. */
  frequencyOrder: number;
  /** DHIS2's `isoFormat`. */
  isoFormat: string;
  /** Builds the id from the label year and the 1-based index within that year. */
  format(year: string, index: number): string;
}

const p2 = (n: number) => String(n).padStart(2, "0");
const week = (weekStart: number, token: string): TypeInfo => ({
  shape: { kind: "week", weekStart, span: 1 },
  isoDuration: "P7D",
  frequencyOrder: 7,
  isoFormat: `yyyy${token}n`,
  format: (y, n) => `${y}${token}${n}`,
});
const months = (
  months: 1 | 2 | 3 | 6 | 12,
  anchor: number,
  endYearLabel: boolean,
  isoFormat: string,
  format: (y: string, n: number) => string,
): TypeInfo => ({
  shape: { kind: "month", months, anchor, endYearLabel },
  isoDuration: months === 12 ? "P1Y" : `P${months}M`,
  frequencyOrder: { 1: 30, 2: 61, 3: 91, 6: 182, 12: 365 }[months],
  isoFormat,
  format,
});
const financial = (anchor: number, suffix: string, endYearLabel = false) =>
  months(12, anchor, endYearLabel, `yyyy${suffix}`, (y) => `${y}${suffix}`);

export const TYPE_INFO: Record<PeriodType, TypeInfo> = {
  Daily: { shape: { kind: "day" }, isoDuration: "P1D", frequencyOrder: 1, isoFormat: "yyyyMMdd", format: (y) => y },
  Weekly: week(1, "W"),
  WeeklyWednesday: week(3, "WedW"),
  WeeklyThursday: week(4, "ThuW"),
  WeeklyFriday: week(5, "FriW"),
  WeeklySaturday: week(6, "SatW"),
  WeeklySunday: week(7, "SunW"),
  BiWeekly: {
    shape: { kind: "week", weekStart: 1, span: 2 },
    isoDuration: "P14D",
    frequencyOrder: 14,
    isoFormat: "yyyyBiWn",
    format: (y, n) => `${y}BiW${n}`,
  },
  Monthly: months(1, 1, false, "yyyyMM", (y, n) => `${y}${p2(n)}`),
  BiMonthly: months(2, 1, false, "yyyyMMB", (y, n) => `${y}${p2(n)}B`),
  Quarterly: months(3, 1, false, "yyyyQn", (y, n) => `${y}Q${n}`),
  QuarterlyNov: months(3, 11, true, "yyyyNovQn", (y, n) => `${y}NovQ${n}`),
  SixMonthly: months(6, 1, false, "yyyySn", (y, n) => `${y}S${n}`),
  SixMonthlyApril: months(6, 4, false, "yyyyAprilSn", (y, n) => `${y}AprilS${n}`),
  SixMonthlyNov: months(6, 11, true, "yyyyNovSn", (y, n) => `${y}NovS${n}`),
  Yearly: months(12, 1, false, "yyyy", (y) => y),
  FinancialFeb: financial(2, "Feb"),
  FinancialApril: financial(4, "April"),
  FinancialJuly: financial(7, "July"),
  FinancialAug: financial(8, "Aug"),
  FinancialSep: financial(9, "Sep"),
  FinancialOct: financial(10, "Oct"),
  FinancialNov: financial(11, "Nov", true),
};

/** The shape of a type, with the FinancialNov labelling choice applied. */
export function shapeOf(type: PeriodType, options: PeriodOptions = {}): Shape {
  const shape = TYPE_INFO[type].shape;
  if (type === "FinancialNov" && shape.kind === "month" && options.financialNovLabel === "start-year") {
    return { ...shape, endYearLabel: false };
  }
  return shape;
}

export const WEEKDAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** The weekly type whose weeks start on an ISO weekday; Tuesday has none in DHIS2. */
export function weeklyTypeStartingOn(weekday: number): PeriodType | undefined {
  return (["Weekly", undefined, "WeeklyWednesday", "WeeklyThursday", "WeeklyFriday", "WeeklySaturday", "WeeklySunday"] as const)[
    weekday - 1
  ];
}
