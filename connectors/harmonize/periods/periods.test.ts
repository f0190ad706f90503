import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { civilFromDays, daysFromCivil, formatDay, toDay } from "./civil.ts";
import {
  MAX_RANGE_PERIODS,
  nextPeriod,
  PERIOD_TYPES,
  PeriodError,
  type PeriodType,
  parseAdxPeriod,
  parsePeriodId,
  periodForDate,
  periodRange,
  previousPeriod,
  relativePeriods,
  toAdxPeriod,
} from "./index.ts";

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("day arithmetic", () => {
  it("agrees with Date.UTC on every day from 1899 to 2101", () => {
    const first = Date.UTC(1899, 0, 1) / DAY_MS;
    const last = Date.UTC(2101, 11, 31) / DAY_MS;
    for (let d = first; d <= last; d++) {
      const { year, month, day } = civilFromDays(d);
      if (Date.UTC(year, month - 1, day) / DAY_MS !== d) throw new Error(`day ${d} → ${year}-${month}-${day}`);
      if (daysFromCivil(year, month, day) !== d) throw new Error(`round trip of day ${d}`);
      if (formatDay(d) !== utcDay(d * DAY_MS)) throw new Error(`format of day ${d}`);
    }
  });

  it("reads a Date in UTC and ignores the time in a date-time string", () => {
    expect(periodForDate(new Date("2024-05-15T23:30:00-02:00"), "Daily").periodId).toBe("20240516");
    expect(periodForDate("2024-05-15T10:00:00Z", "Daily").periodId).toBe("20240515");
    expect(() => periodForDate("15/05/2024", "Daily")).toThrow("'15/05/2024' is not a date");
    expect(() => periodForDate(new Date("nonsense"), "Daily")).toThrow(PeriodError);
  });
});

/** ISO week by the textbook rule (the week's Thursday decides the year), written with Date, independent of weeks.ts. */
function isoWeekByDate(ms: number): string {
  const date = new Date(ms);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(ms + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}W${week}`;
}

describe("ISO weeks", () => {
  it("match the Thursday rule on every day from 2000 to 2040", () => {
    for (let ms = Date.UTC(2000, 0, 1); ms <= Date.UTC(2040, 11, 31); ms += DAY_MS) {
      const got = periodForDate(utcDay(ms), "Weekly").periodId;
      if (got !== isoWeekByDate(ms)) throw new Error(`${utcDay(ms)}: ${got} ≠ ${isoWeekByDate(ms)}`);
    }
  });

  it("have week 53 exactly in the 53-week years", () => {
    const years = [];
    for (let y = 2000; y <= 2040; y++) {
      if (periodRange("Weekly", `${y}W1`, `${y + 1}W1`).length === 54) years.push(y);
    }
    expect(years).toEqual([2004, 2009, 2015, 2020, 2026, 2032, 2037]);
  });
});

describe("every type, 2008–2030", () => {
  it.each([...PERIOD_TYPES])("%s tiles the calendar and round-trips through its id and ADX", (type) => {
    const periods = periodRange(type, "2008-01-01", "2030-12-31");
    expect(periods.length).toBeGreaterThan(10);
    for (let i = 0; i < periods.length; i++) {
      const p = periods[i];
      expect(p.periodType).toBe(type);
      expect(parsePeriodId(p.periodId)).toEqual(p);
      expect(parseAdxPeriod(toAdxPeriod(p))).toEqual(p);
      expect(periodForDate(p.start, type)).toEqual(p);
      // A BiW27's second week is also the next year's ISO week 1, so that day files under the next BiW1.
      if (!p.periodId.endsWith("BiW27")) expect(periodForDate(p.end, type)).toEqual(p);
      if (i === 0) continue;
      const gap = toDay(p.start) - toDay(periods[i - 1].end);
      // Only BiWeekly overlaps: BiW27 (ISO week 53 + next year's week 1) and the next BiW1 share a week, as in DHIS2.
      const expected = type === "BiWeekly" && periods[i - 1].periodId.endsWith("BiW27") ? -6 : 1;
      if (gap !== expected) throw new Error(`${periods[i - 1].periodId} → ${p.periodId}: gap ${gap}`);
    }
  });
});

describe("periodForDate", () => {
  const cases: [string, PeriodType, string][] = [
    ["2024-12-30", "Weekly", "2025W1"],
    ["2021-01-02", "Weekly", "2020W53"],
    ["2016-01-01", "Weekly", "2015W53"],
    ["2022-01-01", "WeeklyWednesday", "2022WedW1"],
    ["2022-12-30", "WeeklyWednesday", "2022WedW53"],
    ["2021-01-02", "BiWeekly", "2020BiW27"],
    ["2021-01-05", "BiWeekly", "2021BiW1"],
    ["2024-01-14", "BiWeekly", "2024BiW1"],
    ["2024-02-29", "BiMonthly", "202401B"],
    ["2024-12-31", "BiMonthly", "202406B"],
    ["2024-11-15", "QuarterlyNov", "2025NovQ1"],
    ["2024-10-31", "QuarterlyNov", "2024NovQ4"],
    ["2024-11-15", "SixMonthlyNov", "2025NovS1"],
    ["2025-03-15", "SixMonthlyApril", "2024AprilS2"],
    ["2024-03-31", "FinancialApril", "2023April"],
    ["2024-04-01", "FinancialApril", "2024April"],
    ["2024-01-31", "FinancialFeb", "2023Feb"],
    ["2024-11-15", "FinancialNov", "2025Nov"],
    ["2024-10-31", "FinancialNov", "2024Nov"],
    ["2024-06-30", "FinancialJuly", "2023July"],
  ];
  it.each(cases)("%s as %s → %s", (date, type, id) => {
    expect(periodForDate(date, type).periodId).toBe(id);
  });

  it("labels FinancialNov by start year when asked", () => {
    expect(periodForDate("2024-11-15", "FinancialNov", { financialNovLabel: "start-year" }).periodId).toBe("2024Nov");
  });

  it("keeps the start-year FinancialNov reading through next, ranges and ADX", () => {
    const startYear = { financialNovLabel: "start-year" } as const;
    expect(nextPeriod("2023Nov", startYear)).toEqual({
      periodType: "FinancialNov",
      periodId: "2024Nov",
      start: "2024-11-01",
      end: "2025-10-31",
    });
    expect(periodRange("FinancialNov", "2023-12-01", "2025-01-01", startYear).map((p) => p.periodId)).toEqual([
      "2023Nov",
      "2024Nov",
    ]);
    expect(parseAdxPeriod("2024-11-01/P1Y", startYear).periodId).toBe("2024Nov");
  });

  it("refuses an unknown type", () => {
    expect(() => periodForDate("2024-01-01", "TwoYearly" as PeriodType)).toThrow("'TwoYearly' is not a DHIS2 period type");
  });
});

describe("next, previous and ranges", () => {
  it("steps across year ends", () => {
    expect(nextPeriod("2020W52").periodId).toBe("2020W53");
    expect(nextPeriod("2020W53").periodId).toBe("2021W1");
    expect(previousPeriod("2021W1").periodId).toBe("2020W53");
    expect(previousPeriod("2015W1").periodId).toBe("2014W52");
    expect(nextPeriod("202406B").periodId).toBe("202501B");
    expect(nextPeriod("2025NovQ4").periodId).toBe("2026NovQ1");
    expect(previousPeriod("2024AprilS1").periodId).toBe("2023AprilS2");
    expect(nextPeriod("20241231").periodId).toBe("20250101");
  });

  it("accepts ids of any type or dates as bounds", () => {
    expect(periodRange("Monthly", "2024Q1", "2024-05-10").map((p) => p.periodId)).toEqual([
      "202401",
      "202402",
      "202403",
      "202404",
      "202405",
    ]);
    expect(periodRange("Weekly", "2020-12-20", "2021-01-10").map((p) => p.periodId)).toEqual([
      "2020W51",
      "2020W52",
      "2020W53",
      "2021W1",
    ]);
    expect(periodRange("Quarterly", "202402", "202402").map((p) => p.periodId)).toEqual(["2024Q1"]);
  });

  it("refuses reversed, unreadable and runaway ranges", () => {
    expect(() => periodRange("Monthly", "202405", "202401")).toThrow("'from' is after 'to'");
    expect(() => periodRange("Monthly", "May 2024", "202401")).toThrow("range from 'May 2024' is neither a date nor a period id");
    expect(() => periodRange("Daily", "1024-01-01", "2024-01-01")).toThrow(`more than ${MAX_RANGE_PERIODS} Daily periods`);
  });
});

describe("relative periods (DHIS2: 'last N' excludes the current period)", () => {
  const ids = (kind: Parameters<typeof relativePeriods>[0], today: string, type?: PeriodType) =>
    relativePeriods(kind, type, today).map((p) => p.periodId);
  const may15 = "2024-05-15"; // a Wednesday in ISO week 20

  it("months", () => {
    expect(ids("THIS_MONTH", may15)).toEqual(["202405"]);
    expect(ids("LAST_MONTH", may15)).toEqual(["202404"]);
    expect(ids("LAST_3_MONTHS", may15)).toEqual(["202402", "202403", "202404"]);
    expect(ids("LAST_6_MONTHS", may15)).toEqual(["202311", "202312", "202401", "202402", "202403", "202404"]);
    expect(ids("LAST_12_MONTHS", may15)).toEqual(periodRange("Monthly", "202305", "202404").map((p) => p.periodId));
    expect(ids("LAST_12_MONTHS", "2024-01-03")).toEqual(periodRange("Monthly", "202301", "202312").map((p) => p.periodId));
  });

  it("quarters and years", () => {
    expect(ids("THIS_QUARTER", may15)).toEqual(["2024Q2"]);
    expect(ids("LAST_QUARTER", may15)).toEqual(["2024Q1"]);
    expect(ids("LAST_4_QUARTERS", may15)).toEqual(["2023Q2", "2023Q3", "2023Q4", "2024Q1"]);
    expect(ids("THIS_YEAR", may15)).toEqual(["2024"]);
    expect(ids("LAST_YEAR", may15)).toEqual(["2023"]);
    expect(ids("LAST_5_YEARS", may15)).toEqual(["2019", "2020", "2021", "2022", "2023"]);
    expect(ids("LAST_YEAR", "2024-12-01", "FinancialNov")).toEqual(["2024Nov"]);
    expect(ids("THIS_FINANCIAL_YEAR", "2024-02-10", "FinancialApril")).toEqual(["2023April"]);
    expect(ids("THIS_QUARTER", "2024-11-20", "QuarterlyNov")).toEqual(["2025NovQ1"]);
  });

  it("weeks, including 53-week years and other week starts", () => {
    expect(ids("LAST_4_WEEKS", may15)).toEqual(["2024W16", "2024W17", "2024W18", "2024W19"]);
    expect(ids("LAST_12_WEEKS", may15)).toEqual(periodRange("Weekly", "2024W8", "2024W19").map((p) => p.periodId));
    const last52 = ids("LAST_52_WEEKS", may15);
    expect(last52).toHaveLength(52);
    expect([last52[0], last52[51]]).toEqual(["2023W20", "2024W19"]);
    expect(ids("LAST_4_WEEKS", "2021-01-06")).toEqual(["2020W50", "2020W51", "2020W52", "2020W53"]);
    expect(ids("LAST_4_WEEKS", "2024-01-03")).toEqual(["2023W49", "2023W50", "2023W51", "2023W52"]);
    expect(ids("LAST_4_WEEKS", may15, "WeeklySunday")).toEqual(["2024SunW16", "2024SunW17", "2024SunW18", "2024SunW19"]);
  });

  it("accepts the two-argument form and a Date", () => {
    expect(relativePeriods("LAST_MONTH", new Date(Date.UTC(2024, 0, 10))).map((p) => p.periodId)).toEqual(["202312"]);
    expect(relativePeriods("THIS_MONTH", "2024-01-10").map((p) => p.periodId)).toEqual(["202401"]);
  });

  it("refuses a type outside the kind's family, and a financial kind without its type", () => {
    expect(() => relativePeriods("LAST_3_MONTHS", "Quarterly", may15)).toThrow("period type Quarterly does not fit");
    expect(() => relativePeriods("LAST_FINANCIAL_YEAR", may15)).toThrow("give the financial year type");
  });
});

describe("ADX fixtures", () => {
  const files = [
    "adx-hiv/adx_hiv_data_sample.xml",
    "dhis2-core/adx/adx_data_sample1.xml",
    "dhis2-core/adx/importA.adx.xml",
  ].concat(["dhis2-core/adx/importB.adx.xml", "dhis2-core/adx/exportA.adx.xml", "dhis2-core/adx/importDates.adx.xml"]);
  it.each(files)("every period in %s is one DHIS2 period and round-trips", (file) => {
    const url = new URL(`../../../../shared/fixtures/${file}`, import.meta.url);
    const periods = [...readFileSync(url, "utf8").matchAll(/period="([^"]+)"/g)].map((m) => m[1]);
    expect(periods.length).toBeGreaterThan(0);
    for (const text of periods) expect(toAdxPeriod(parseAdxPeriod(text))).toBe(text);
  });
});
