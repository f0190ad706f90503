/**
 * Turns an exceljs cell into a raw value: formulas give their cached result, rich text its plain text, dates an ISO
 * string ("2014-02-14", "2014-02-14T12:30:00", or "12:00:00" for a time of day), numbers stay numbers (a percent
 * stays the stored fraction: 50% is 0.5).
 */
import type { RawValue } from "../core/types.ts";

export interface CellInput {
  value: unknown;
  numFmt?: string;
}

export type CellResult = { value: RawValue; problem?: string };

/** Excel's day 0 for each date system, in UTC milliseconds. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

export function cellValue(cell: CellInput, date1904: boolean): CellResult {
  const v = cell.value;
  if (v === null || v === undefined) return { value: null };
  if (typeof v === "string") return { value: v };
  if (typeof v === "boolean") return { value: v };
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return { value: null, problem: "the number cannot be read" };
    return { value: isDateFormat(cell.numFmt) ? isoFromSerial(v, date1904, cell.numFmt) : v };
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { value: null, problem: "the date cannot be read" };
    // exceljs made this Date from the serial number with a fixed epoch; go back to the serial to apply Excel's own
    // calendar (its phantom 29 Feb 1900, times of day, elapsed-time formats).
    const serial = v.getTime() / DAY + 25_569 - (date1904 ? 1_462 : 0);
    return { value: isoFromSerial(serial, date1904, cell.numFmt) };
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return { value: o.richText.map((r: { text?: string }) => r.text ?? "").join("") };
    if ("error" in o) return { value: String(o.error), problem: `the cell holds the error ${String(o.error)}` };
    if ("formula" in o || "sharedFormula" in o) {
      if (o.result === undefined || o.result === null || o.result === "") {
        return { value: null, problem: "the formula has no saved result (the workbook was never recalculated)" };
      }
      return cellValue({ value: o.result, numFmt: cell.numFmt }, date1904);
    }
    if ("text" in o) return cellValue({ value: o.text, numFmt: cell.numFmt }, date1904);
  }
  return { value: String(v) };
}

/** "h:mm AM/PM", "mm:ss": shows a time, no day, month or year (so Excel hides the date part of the serial). */
function isTimeOnlyFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format
    .replace(/"[^"]*"/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/AM\/PM|A\/P/gi, "");
  return /[hs]/i.test(bare) && !/[dy]/i.test(bare);
}

/** A number format shows a date or time when, outside quoted text and [colour]/[$-locale] blocks, it has d, m, y, h or s. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format || format === "General") return false;
  const bare = format
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[(?!h+\]|m+\]|s+\])[^\]]*\]/gi, "")
    .replace(/_.|\*./g, "");
  return /[dmyhs]/i.test(bare) && !/^[#0.,%\s]*E[+-]/i.test(bare);
}

const DAY = 86_400_000;

/**
 * Excel serial → ISO text as Excel displays it. In the 1900 system Excel counts a 29 Feb 1900 that never was, so
 * serials 1-60 start a day later than the rest (1 = 1900-01-01); in the 1904 system 0 = 1904-01-01.
 * Elapsed-time formats ([h]:mm:ss) give a duration ("36:00:00"); serials below 1 are times of day.
 */
export function isoFromSerial(serial: number, date1904: boolean, numFmt?: string): string {
  const seconds = Math.round(serial * 86_400);
  if (numFmt && /\[(h+|m+|s+)\]/i.test(numFmt)) return duration(seconds);
  if ((serial >= 0 && serial < 1) || isTimeOnlyFormat(numFmt)) return duration(seconds % 86_400);
  const epoch = date1904 ? EPOCH_1904 : serial < 61 ? EPOCH_1900 + DAY : EPOCH_1900;
  return isoFromDate(new Date(epoch + seconds * 1000));
}

function duration(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? "-" : "";
  const t = Math.abs(totalSeconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${sign}${pad(Math.floor(t / 3600))}:${pad(Math.floor((t % 3600) / 60))}:${pad(t % 60)}`;
}

/** exceljs dates are UTC instants; round away float noise to the second. */
export function isoFromDate(date: Date): string {
  const d = new Date(Math.round(date.getTime() / 1000) * 1000);
  const iso = d.toISOString().slice(0, 19);
  const [day, time] = iso.split("T");
  return time === "00:00:00" ? day : iso;
}
