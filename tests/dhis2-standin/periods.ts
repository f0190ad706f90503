/**
 * The stand-in's own small period logic (kept apart from the client's on purpose, so a bug in one does not hide in the
 * other): which period ids are valid, their date range (for dataValueSets startDate/endDate), and the relative periods
 * the fixtures were recorded with, resolved against the stand-in's "today".
 */

const ISO =
  /^(\d{4})(?:(\d{2})(\d{2})?|Q([1-4])|W(\d{1,2})|BiW(\d{1,2})|(0[1-6])B|S([12])|(?:April|Nov)S([12])|(?:Wed|Thu|Sat|Sun)W(\d{1,2})|April|July|Oct|Nov|NovQ([1-4]))?$/;

export function isPeriodId(id: string): boolean {
  const m = ISO.exec(id);
  if (!m) return false;
  if (m[2] && !m[3]) return Number(m[2]) >= 1 && Number(m[2]) <= 12;
  return true;
}

const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const iso = (d: Date) => d.toISOString().slice(0, 10);

function isoWeekStart(year: number, week: number): Date {
  const jan4 = day(year, 1, 4);
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000);
  return new Date(monday.getTime() + (week - 1) * 7 * 86400000);
}

/** Start and end (inclusive, YYYY-MM-DD) of the period types the data value fixtures use; undefined for others. */
export function periodRange(id: string): { start: string; end: string } | undefined {
  const year = /^(\d{4})$/.exec(id);
  if (year) return { start: `${year[1]}-01-01`, end: `${year[1]}-12-31` };
  const month = /^(\d{4})(\d{2})$/.exec(id);
  if (month) {
    const [y, mo] = [Number(month[1]), Number(month[2])];
    return { start: iso(day(y, mo, 1)), end: iso(day(y, mo + 1, 0)) };
  }
  const daily = /^(\d{4})(\d{2})(\d{2})$/.exec(id);
  if (daily) return { start: `${daily[1]}-${daily[2]}-${daily[3]}`, end: `${daily[1]}-${daily[2]}-${daily[3]}` };
  const quarter = /^(\d{4})Q([1-4])$/.exec(id);
  if (quarter) {
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    return { start: iso(day(y, q * 3 - 2, 1)), end: iso(day(y, q * 3 + 1, 0)) };
  }
  const week = /^(\d{4})W(\d{1,2})$/.exec(id);
  if (week) {
    const start = isoWeekStart(Number(week[1]), Number(week[2]));
    return { start: iso(start), end: iso(new Date(start.getTime() + 6 * 86400000)) };
  }
  return undefined;
}

/** Relative periods resolved against `today` (YYYY-MM-DD), as DHIS2 does: "last N" never includes the current one. */
export function resolveRelative(id: string, today: string): string[] | undefined {
  const [y, mo] = today.split("-").map(Number);
  const q = Math.ceil(mo / 3);
  const months = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const d = day(y, mo - n + i, 1);
      return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    });
  const quarters = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const k = y * 4 + (q - 1) - n + i;
      return `${Math.floor(k / 4)}Q${(k % 4) + 1}`;
    });
  const years = (n: number) => Array.from({ length: n }, (_, i) => String(y - n + i));
  const table: Record<string, () => string[]> = {
    THIS_MONTH: () => [`${y}${String(mo).padStart(2, "0")}`],
    LAST_MONTH: () => months(1),
    LAST_3_MONTHS: () => months(3),
    LAST_6_MONTHS: () => months(6),
    LAST_12_MONTHS: () => months(12),
    THIS_QUARTER: () => [`${y}Q${q}`],
    LAST_QUARTER: () => quarters(1),
    LAST_4_QUARTERS: () => quarters(4),
    THIS_YEAR: () => [String(y)],
    LAST_YEAR: () => years(1),
    LAST_5_YEARS: () => years(5),
  };
  return table[id]?.();
}
