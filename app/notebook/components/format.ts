/**
 * Display formatting of result cells, by column type and the reader's locale. Pure: no DOM, no React.
 *
 * Values arrive as the kernel hands them over from Arrow/DuckDB: `null`/`undefined` for NULL, `number`, `bigint` (BIGINT,
 * HUGEINT), numeric strings (DECIMAL and HUGEINT sometimes travel as text to stay exact), `Date` or epoch milliseconds for
 * DATE/TIMESTAMP, strings, booleans, and occasionally nested values (LIST/STRUCT) which are shown as JSON.
 */

export type ColumnKind = "integer" | "float" | "decimal" | "date" | "timestamp" | "timestamptz" | "time" | "boolean" | "text";

export interface GridColumn {
  name: string;
  /** DuckDB type name (`BIGINT`, `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`) or an Arrow type name (`Int64`, `Utf8`). */
  type: string;
}

/** Maps a DuckDB or Arrow type name to how its values are displayed, compared and copied. */
export function columnKind(type: string): ColumnKind {
  const t = type.trim().toUpperCase();
  if (/^(DECIMAL|NUMERIC)\b/.test(t)) return "decimal";
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT\d+|UINT\d+)\b/.test(t))
    return "integer";
  if (/^(FLOAT|REAL|DOUBLE|FLOAT\d+)\b/.test(t)) return "float";
  if (/^(TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)\b/.test(t) || /^TIMESTAMP<.*,\s*\S+>$/.test(t)) return "timestamptz";
  if (/^(TIMESTAMP|DATETIME)/.test(t)) return "timestamp";
  if (/^DATE/.test(t)) return "date";
  if (/^TIME/.test(t)) return "time";
  if (/^(BOOLEAN|BOOL)\b/.test(t)) return "boolean";
  return "text";
}

export function isNumericKind(kind: ColumnKind): boolean {
  return kind === "integer" || kind === "float" || kind === "decimal";
}

/** Scale of `DECIMAL(p,s)`, so a decimal column shows all and only its stored digits. */
export function decimalScale(type: string): number | undefined {
  const m = /^\s*(?:DECIMAL|NUMERIC)\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(type);
  return m ? Number(m[1]) : undefined;
}

const INTEGER_TEXT = /^[-+]?\d+$/;
const DECIMAL_TEXT = /^([-+]?)(\d+)(?:\.(\d+))?$/;

/**
 * Formatters for one locale, built once: constructing Intl formatters is far slower than using them, and a grid formats
 * thousands of cells while scrolling.
 */
export class CellFormatter {
  readonly locale: string;
  private readonly integer: Intl.NumberFormat;
  private readonly float: Intl.NumberFormat;
  private readonly decimalSeparator: string;
  private readonly date: Intl.DateTimeFormat;
  private readonly timestamp: Intl.DateTimeFormat;
  private readonly timestampTz: Intl.DateTimeFormat;

  constructor(locale: string) {
    this.locale = safeLocale(locale);
    this.integer = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 });
    // Doubles: enough digits for rates and proportions without printing binary noise (0.1 + 0.2).
    this.float = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 6 });
    this.decimalSeparator = new Intl.NumberFormat(this.locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
    // DATE and TIMESTAMP (without zone) are wall-clock values: shown in UTC so no reader sees a day shift.
    this.date = new Intl.DateTimeFormat(this.locale, { dateStyle: "medium", timeZone: "UTC" });
    this.timestamp = new Intl.DateTimeFormat(this.locale, { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
    // TIMESTAMPTZ is an instant: shown in the reader's own zone.
    this.timestampTz = new Intl.DateTimeFormat(this.locale, { dateStyle: "medium", timeStyle: "long" });
  }

  /** Text shown in a cell; `null` means SQL NULL (the grid renders a distinct NULL marker, not an empty string). */
  format(value: unknown, type: string, kind: ColumnKind = columnKind(type)): string | null {
    if (value === null || value === undefined) return null;
    switch (kind) {
      case "integer":
      case "float":
      case "decimal":
        return this.formatNumber(value, kind, type);
      case "date":
      case "timestamp":
      case "timestamptz": {
        const date = toDate(value);
        if (!date) return rawText(value);
        const f = kind === "date" ? this.date : kind === "timestamp" ? this.timestamp : this.timestampTz;
        return f.format(date);
      }
      default:
        return rawText(value);
    }
  }

  private formatNumber(value: unknown, kind: ColumnKind, type: string): string {
    if (typeof value === "bigint") return this.integer.format(value);
    if (typeof value === "number") {
      if (kind === "decimal") {
        const scale = decimalScale(type);
        if (scale !== undefined) return this.fixed(scale).format(value);
      }
      return (Number.isInteger(value) ? this.integer : this.float).format(value);
    }
    if (typeof value === "string") {
      const text = value.trim();
      // Exact text (HUGEINT, DECIMAL(38,x)) is formatted digit by digit through BigInt: going through Number would round.
      if (INTEGER_TEXT.test(text)) return this.integer.format(BigInt(text));
      const m = DECIMAL_TEXT.exec(text);
      if (m) {
        const whole = this.integer.format(BigInt(`${m[1]}${m[2]}`));
        // "-0.5": BigInt(-0) is 0, so the sign would be lost on the whole part.
        const sign = m[1] === "-" && /^0+$/.test(m[2]) ? "-" : "";
        return m[3] ? `${sign}${whole}${this.decimalSeparator}${m[3]}` : `${sign}${whole}`;
      }
      return value;
    }
    return rawText(value);
  }

  private fixedCache = new Map<number, Intl.NumberFormat>();
  private fixed(scale: number): Intl.NumberFormat {
    let f = this.fixedCache.get(scale);
    if (!f) {
      const digits = Math.min(scale, 20);
      f = new Intl.NumberFormat(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
      this.fixedCache.set(scale, f);
    }
    return f;
  }

  /** A count for status lines ("showing 10,000 of 1,204,311 rows"). */
  count(n: number | bigint): string {
    return this.integer.format(n);
  }
}

/** An unknown or malformed locale tag must not crash the grid: fall back to English. */
function safeLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : "en";
  } catch {
    return "en";
  }
}

/** Dates come as `Date`, epoch milliseconds, or ISO text; anything else is not a date we can format. */
export function toDate(value: unknown): Date | undefined {
  let d: Date | undefined;
  if (value instanceof Date) d = value;
  else if (typeof value === "number") d = new Date(value);
  else if (typeof value === "bigint") d = new Date(Number(value));
  else if (typeof value === "string") {
    // Bare dates and zone-less timestamps are wall-clock: read them as UTC, matching how they are displayed.
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? `${value}T00:00:00Z`
      : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
        ? `${value.replace(" ", "T")}Z`
        : value;
    d = new Date(iso);
  }
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

/** Plain text of a value, for text cells, filtering and copying. */
export function rawText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Array.from(value, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Text put on the clipboard for one value: locale-neutral (ISO dates, `.` decimals, no grouping) so it pastes back into SQL,
 * a spreadsheet or a script unchanged. NULL copies as an empty string.
 */
export function clipboardText(value: unknown, type: string, kind: ColumnKind = columnKind(type)): string {
  if (value === null || value === undefined) return "";
  if (kind === "date" || kind === "timestamp" || kind === "timestamptz") {
    const d = toDate(value);
    if (d) {
      const iso = d.toISOString();
      if (kind === "date") return iso.slice(0, 10);
      if (kind === "timestamp") return iso.replace("T", " ").replace(/\.000Z$|Z$/, "");
      return iso;
    }
  }
  return rawText(value);
}

/** Time a cell took: "85 ms", "1.4 s", "2 min 05 s". */
export function formatDuration(ms: number, locale: string): string {
  const loc = safeLocale(locale);
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return new Intl.NumberFormat(loc, { style: "unit", unit: "millisecond", maximumFractionDigits: 0 }).format(ms);
  if (ms < 60_000) {
    return new Intl.NumberFormat(loc, { style: "unit", unit: "second", maximumFractionDigits: ms < 10_000 ? 2 : 1 }).format(
      ms / 1000,
    );
  }
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const min = new Intl.NumberFormat(loc, { style: "unit", unit: "minute" }).format(minutes);
  const sec = new Intl.NumberFormat(loc, { style: "unit", unit: "second", minimumIntegerDigits: 2 }).format(seconds);
  return `${min} ${sec}`;
}
