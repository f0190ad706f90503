/**
 * The connector contract shared by every source kind (csv, excel, dhis2, adx) and the runner.
 * A connector extracts raw records in batches; harmonize turns them into base-format rows; publish writes the dataset file.
 */

/** Where a value or a problem came from, precise enough for a user to find it in the source. */
export interface SourcePlace {
  file?: string;
  sheet?: string;
  /** 1-based row number as the user sees it in the file or sheet (header row included). */
  row?: number;
  column?: string;
  url?: string;
  page?: number;
}

export type IssueSeverity = "error" | "warning";

export interface RunIssue {
  severity: IssueSeverity;
  message: string;
  place?: SourcePlace;
}

export type RawValue = string | number | boolean | Date | null;

/** One record as extracted from a source, before harmonization. Keys are the source's column names. */
export interface RawRecord {
  values: Record<string, RawValue>;
  place: SourcePlace;
}

export interface RawBatch {
  /** Name of the table/file/sheet/endpoint the records came from; errors in one table never abort the others. */
  table: string;
  records: RawRecord[];
}

export interface Progress {
  phase: "extract" | "harmonize" | "write" | "publish";
  done: number;
  total?: number;
  message?: string;
}

export interface ExtractContext {
  signal: AbortSignal;
  progress(p: Progress): void;
  report(issue: RunIssue): void;
  /** Network connectors take fetch as an argument so tests drive them against a local stand-in server. */
  fetch: typeof fetch;
  /** A scratch directory owned by this run; removed by the runner afterwards. */
  tempDir: string;
}

export interface Connector<Config> {
  kind: string;
  extract(config: Config, ctx: ExtractContext): AsyncIterable<RawBatch>;
}

/**
 * DHIS2 period type names, exactly as DHIS2 spells them (PeriodTypeEnum), in DHIS2's frequency order.
 * TwoYearly is deliberately absent: it has no ISO period id, so no observation can carry it.
 * The grammar of each type's id lives in connectors/harmonize/periods.
 */
export const PERIOD_TYPES = [
  "Daily",
  "Weekly",
  "WeeklyWednesday",
  "WeeklyThursday",
  "WeeklyFriday",
  "WeeklySaturday",
  "WeeklySunday",
  "BiWeekly",
  "Monthly",
  "BiMonthly",
  "Quarterly",
  "QuarterlyNov",
  "SixMonthly",
  "SixMonthlyApril",
  "SixMonthlyNov",
  "Yearly",
  "FinancialFeb",
  "FinancialApril",
  "FinancialJuly",
  "FinancialAug",
  "FinancialSep",
  "FinancialOct",
  "FinancialNov",
] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** One row of the base format's `observations` table (DESIGN.md). Dates are ISO `YYYY-MM-DD` strings. */
export interface Observation {
  source: string;
  field_id: string;
  disaggregation: string | null;
  location_id: string;
  period_type: PeriodType;
  period_id: string;
  period_start: string;
  period_end: string;
  value: number | null;
  value_text: string | null;
}

/** One row of `locations`. `path` is the ids from the root joined by "/", with a leading "/" (DHIS2's convention). */
export interface LocationRow {
  location_id: string;
  code: string | null;
  name: string;
  level: number;
  level_name: string;
  parent_id: string | null;
  path: string;
  /** GeoJSON geometry as text, when the source has it (DHIS2 org units). */
  geometry: string | null;
}

export type Aggregation = "sum" | "average" | "last" | "min" | "max" | "count" | "none";

/** One row of `fields`. */
export interface FieldRow {
  field_id: string;
  name: string;
  description: string | null;
  unit: string | null;
  source_field_id: string | null;
  aggregation: Aggregation;
}
