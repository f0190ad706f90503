/**
 * DHIS2 relative periods ("LAST_12_MONTHS") expanded into fixed ISO period ids, so analytics requests can be split by
 * period and each chunk has a stable key. Semantics follow DHIS2: "LAST_n" excludes the current period, "THIS_x" is the
 * current one, "<UNIT>S_THIS_YEAR" is every period of the current year.
 */

const DAY = 86_400_000;
type Unit = "day" | "week" | "month" | "bimonth" | "quarter" | "sixmonth" | "year";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function isoWeekOf(date: Date): { year: number; week: number } {
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY));
  return { year, week };
}

/** Index of the period containing `date`, in a sequence where consecutive periods differ by one. */
function indexOf(unit: Unit, date: Date): number {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  switch (unit) {
    case "day":
      return Math.floor(date.getTime() / DAY);
    case "week":
      // Days since the Monday 1970-01-05, in weeks.
      return Math.floor((date.getTime() - 4 * DAY) / (7 * DAY));
    case "month":
      return y * 12 + m;
    case "bimonth":
      return y * 6 + Math.floor(m / 2);
    case "quarter":
      return y * 4 + Math.floor(m / 3);
    case "sixmonth":
      return y * 2 + Math.floor(m / 6);
    case "year":
      return y;
  }
}

function idOf(unit: Unit, k: number): string {
  switch (unit) {
    case "day": {
      const d = new Date(k * DAY);
      return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
    }
    case "week": {
      const { year, week } = isoWeekOf(new Date(4 * DAY + k * 7 * DAY));
      return `${year}W${week}`;
    }
    case "month":
      return `${Math.floor(k / 12)}${pad((k % 12) + 1)}`;
    case "bimonth":
      return `${Math.floor(k / 6)}${pad((k % 6) + 1)}B`;
    case "quarter":
      return `${Math.floor(k / 4)}Q${(k % 4) + 1}`;
    case "sixmonth":
      return `${Math.floor(k / 2)}S${(k % 2) + 1}`;
    case "year":
      return String(k);
  }
}

const UNIT_WORDS: Record<string, Unit> = {
  DAY: "day",
  DAYS: "day",
  WEEK: "week",
  WEEKS: "week",
  MONTH: "month",
  MONTHS: "month",
  BIMONTH: "bimonth",
  BIMONTHS: "bimonth",
  QUARTER: "quarter",
  QUARTERS: "quarter",
  SIX_MONTH: "sixmonth",
  SIXMONTHS: "sixmonth",
  YEAR: "year",
  YEARS: "year",
};
const PER_YEAR: Record<Unit, number> = { day: 366, week: 53, month: 12, bimonth: 6, quarter: 4, sixmonth: 2, year: 1 };

function range(unit: Unit, from: number, to: number): string[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => idOf(unit, from + i));
}

/** The fixed period ids a relative period stands for on `reference`; undefined when `id` is not a known relative period. */
export function expandRelativePeriod(id: string, reference: Date): string[] | undefined {
  const ref = new Date(Date.UTC(reference.getUTCFullYear(), reference.getUTCMonth(), reference.getUTCDate()));
  if (id === "TODAY") return [idOf("day", indexOf("day", ref))];
  if (id === "YESTERDAY") return [idOf("day", indexOf("day", ref) - 1)];
  let m = /^THIS_(DAY|WEEK|MONTH|BIMONTH|QUARTER|SIX_MONTH|YEAR)$/.exec(id);
  if (m) {
    const unit = UNIT_WORDS[m[1]];
    return [idOf(unit, indexOf(unit, ref))];
  }
  m = /^LAST_(WEEK|MONTH|BIMONTH|QUARTER|SIX_MONTH|YEAR)$/.exec(id);
  if (m) {
    const unit = UNIT_WORDS[m[1]];
    return [idOf(unit, indexOf(unit, ref) - 1)];
  }
  m = /^LAST_(\d+)_(DAYS|WEEKS|MONTHS|BIMONTHS|QUARTERS|SIXMONTHS|YEARS)$/.exec(id);
  if (m) {
    const unit = UNIT_WORDS[m[2]];
    const now = indexOf(unit, ref);
    return range(unit, now - Number(m[1]), now);
  }
  m = /^(WEEKS|MONTHS|BIMONTHS|QUARTERS)_(THIS|LAST)_YEAR$/.exec(id);
  if (m) {
    const unit = UNIT_WORDS[m[1]];
    const year = ref.getUTCFullYear() - (m[2] === "LAST" ? 1 : 0);
    if (unit === "week") {
      const ids = range(
        "week",
        indexOf("week", new Date(Date.UTC(year, 0, 4))),
        indexOf("week", new Date(Date.UTC(year, 11, 28))) + 1,
      );
      return ids;
    }
    return range(unit, year * PER_YEAR[unit], (year + 1) * PER_YEAR[unit]);
  }
  return undefined;
}

/** ISO period ids DHIS2 accepts (its Period.Input grammar, see SOURCES.md); a syntactic check only. */
const FIXED =
  /^\d{4}(?:\d{2}(?:\d{2})?|Q[1-4]|W\d{1,2}|BiW\d{1,2}|0[1-6]B|S[12]|(?:April|Nov)S[12]|(?:Wed|Thu|Sat|Sun)W\d{1,2}|April|July|Oct|Nov|Feb|Aug|Sep|NovQ[1-4])?$/;

export function isFixedPeriod(id: string): boolean {
  if (!FIXED.test(id)) return false;
  const monthly = /^\d{4}(\d{2})(\d{2})?$/.exec(id);
  return !monthly || (Number(monthly[1]) >= 1 && Number(monthly[1]) <= 12);
}

/** Expands a selection's periods in order, de-duplicated; unknown ids are an error naming them. */
export function expandPeriods(periods: string[], reference: Date): string[] {
  const out: string[] = [];
  const unknown: string[] = [];
  for (const p of periods) {
    const relative = expandRelativePeriod(p, reference);
    if (relative) out.push(...relative);
    else if (isFixedPeriod(p)) out.push(p);
    else unknown.push(p);
  }
  if (unknown.length) {
    throw new Error(
      `DHIS2 source: period${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `'${u}'`).join(", ")} not recognised (expected an ISO period such as 202401 or 2024Q1, or a relative period such as LAST_12_MONTHS)`,
    );
  }
  return [...new Set(out)];
}
