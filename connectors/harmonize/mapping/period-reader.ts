/**
 * Period cell → DHIS2 period, by the mapping's `period.how`, cached per distinct cell value (a 10M-row table has a few
 * hundred distinct periods). Failures are cached too, with the reason worded for the person who wrote the cell.
 */
import type { RawValue } from "../../core/types.ts";
import { foldName } from "../locations/normalize.ts";
import { type ParsedPeriod, PeriodError, parsePeriodId, periodForDate, TYPE_INFO } from "../periods/index.ts";
import type { PeriodMapping } from "./schema.ts";

export type PeriodReading = { ok: true; period: ParsedPeriod } | { ok: false; reason: string };

const MONTH_NAMES: Record<string, number> = {};
[
  ["jan", "january", "janv", "janvier", "janeiro", "ene", "enero"],
  ["feb", "february", "fev", "fevr", "fevrier", "fevereiro", "febrero"],
  ["mar", "march", "mars", "marco", "marzo"],
  ["apr", "april", "avr", "avril", "abr", "abril"],
  ["may", "mai", "maio", "mayo"],
  ["jun", "june", "juin", "junho", "junio"],
  ["jul", "july", "juil", "juillet", "julho", "julio"],
  ["aug", "august", "aou", "aout", "ago", "agosto"],
  ["sep", "sept", "september", "septembre", "set", "setembro", "septiembre"],
  ["oct", "october", "octobre", "out", "outubro", "octubre"],
  ["nov", "november", "novembre", "novembro", "noviembre"],
  ["dec", "december", "decembre", "dez", "dezembro", "dic", "diciembre"],
].forEach((names, i) => {
  for (const n of names) MONTH_NAMES[n] = i + 1;
});

const YEAR_MONTH = /^(\d{4})[-/.]?(\d{1,2})$/;
const MONTH_YEAR = /^(\d{1,2})[-/.](\d{4})$/;
const ISO_DAY_PREFIX = /^(\d{4})-(\d{2})-\d{2}/;
const NAMED_MONTH = /^([a-z]+) (\d{4})$/;
const YEAR_NAMED_MONTH = /^(\d{4}) ([a-z]+)$/;
const YEAR_WEEK = /^(\d{4})\s*-?\s*w\s*(\d{1,2})$/i;
const WEEK_YEAR = /^w\s*(\d{1,2})\s*[-/ ]\s*(\d{4})$/i;
const NUMERIC_DATE = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$/;

const pad2 = (n: number) => String(n).padStart(2, "0");

function cellText(raw: RawValue): string {
  return raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
}

/** "2014W53: 2014 has only 52 ISO weeks" → "2014 has only 52 ISO weeks" (the cell value is quoted by the caller). */
function reasonOf(error: unknown, id: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${id}: `) ? message.slice(id.length + 2) : message;
}

function monthOf(raw: RawValue): { year: number; month: number } | string {
  if (raw instanceof Date) return { year: raw.getUTCFullYear(), month: raw.getUTCMonth() + 1 };
  const text = String(raw).trim();
  let m = YEAR_MONTH.exec(text) ?? ISO_DAY_PREFIX.exec(text);
  if (m) return { year: Number(m[1]), month: Number(m[2]) };
  m = MONTH_YEAR.exec(text);
  if (m) return { year: Number(m[2]), month: Number(m[1]) };
  const folded = foldName(text);
  m = NAMED_MONTH.exec(folded);
  if (m && MONTH_NAMES[m[1]]) return { year: Number(m[2]), month: MONTH_NAMES[m[1]] };
  m = YEAR_NAMED_MONTH.exec(folded);
  if (m && MONTH_NAMES[m[2]]) return { year: Number(m[1]), month: MONTH_NAMES[m[2]] };
  return "is not a month (expected e.g. 2017-01, 201701, 01/2017 or Jan 2017)";
}

function dateOf(raw: RawValue, order: "ymd" | "dmy" | "mdy"): string | Date {
  if (raw instanceof Date) return raw;
  const text = String(raw).trim();
  if (order === "ymd") return text;
  const m = NUMERIC_DATE.exec(text);
  if (!m || m[3].length !== 4) throw new PeriodError(`is not a date in ${order === "dmy" ? "DD/MM/YYYY" : "MM/DD/YYYY"} order`);
  const [day, month] = order === "dmy" ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
  return `${m[3]}-${pad2(month)}-${pad2(day)}`;
}

function readUncached(raw: RawValue, mapping: PeriodMapping): PeriodReading {
  const text = cellText(raw);
  try {
    switch (mapping.how) {
      case "dhis2-id": {
        const period = parsePeriodId(text);
        if (mapping.periodType && period.periodType !== mapping.periodType) {
          return { ok: false, reason: `is a ${period.periodType} period; this source's periods are ${mapping.periodType}` };
        }
        return { ok: true, period };
      }
      case "date":
        return { ok: true, period: periodForDate(dateOf(raw, mapping.dateOrder), mapping.periodType) };
      case "month": {
        const month = monthOf(raw);
        if (typeof month === "string") return { ok: false, reason: month };
        if (month.month < 1 || month.month > 12) return { ok: false, reason: `month ${month.month} is not 1–12` };
        return { ok: true, period: periodForDate(`${month.year}-${pad2(month.month)}-01`, mapping.periodType) };
      }
      case "week": {
        const m = YEAR_WEEK.exec(text);
        const w = m ? null : WEEK_YEAR.exec(text);
        if (!m && !w) return { ok: false, reason: "is not a week (expected e.g. 2017W5, 2017-W05 or W5 2017)" };
        const [year, week] = m ? [m[1], Number(m[2])] : [(w as RegExpExecArray)[2], Number((w as RegExpExecArray)[1])];
        const id = TYPE_INFO[mapping.periodType].format(year, week);
        try {
          return { ok: true, period: parsePeriodId(id) };
        } catch (error) {
          return { ok: false, reason: reasonOf(error, id) };
        }
      }
    }
  } catch (error) {
    if (!(error instanceof PeriodError)) throw error;
    return { ok: false, reason: reasonOf(error, text) };
  }
}

/** A reader with its own cache; keep one per mapping for the whole run so batches share it. */
export function createPeriodReader(mapping: PeriodMapping, maxCached = 100_000): (raw: RawValue) => PeriodReading {
  const cache = new Map<string, PeriodReading>();
  return (raw) => {
    const key = raw instanceof Date ? `\u0000${raw.getTime()}` : typeof raw === "string" ? raw : `\u0001${String(raw)}`;
    let reading = cache.get(key);
    if (reading === undefined) {
      reading = readUncached(raw, mapping);
      // A column of timestamps could hold millions of distinct values: start over rather than grow without bound.
      if (cache.size >= maxCached) cache.clear();
      cache.set(key, reading);
    }
    return reading;
  };
}
