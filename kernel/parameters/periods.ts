/** A period picker's value → DHIS2 period ids and the first and last day they cover. */
import {
  type PeriodType,
  periodRange,
  type RelativePeriodKind,
  relativePeriods,
} from "../../connectors/harmonize/periods/index.ts";
import type { PeriodValue } from "./definitions.ts";

export interface ResolvedPeriods {
  periodType: PeriodType;
  periodIds: string[];
  /** First day of the first period, YYYY-MM-DD. */
  start: string;
  /** Last day of the last period, YYYY-MM-DD. */
  end: string;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Throws PeriodError (with DHIS2's wording) when the value does not make periods. */
export function resolvePeriods(value: PeriodValue, today: string = todayUtc()): ResolvedPeriods {
  const periods =
    value.kind === "range"
      ? periodRange(value.periodType, value.from, value.to)
      : relativePeriods(value.relative as RelativePeriodKind, value.periodType, today);
  return {
    periodType: value.periodType,
    periodIds: periods.map((p) => p.periodId),
    start: periods[0].start,
    end: periods[periods.length - 1].end,
  };
}
