import type { RunIssue, SourcePlace } from "../core/types.ts";

/** Delimiters the wizard offers and the sniffer tries, in tie-break order. */
export const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export const CSV_QUOTES = ['"', "'"] as const;
export type CsvQuote = (typeof CSV_QUOTES)[number];

/** Encodings we detect; any other name iconv-lite knows is accepted when given explicitly. */
export const CSV_ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"] as const;

/** The dialect actually used to read a file (after detection). */
export interface CsvDialect {
  encoding: string;
  delimiter: CsvDelimiter;
  quote: CsvQuote;
  /** Rows (records, blank lines included) skipped before the header or the first data row. */
  skipRows: number;
  /** false → columns are named column_1, column_2… */
  header: boolean;
}

/** What the user may fix in the upload wizard; anything left out is detected. */
export type CsvOptions = Partial<CsvDialect> & {
  /** Name shown to users in places and messages (the upload's original name); defaults to the file's base name. */
  name?: string;
};

export interface CsvPreviewRow {
  /** 1-based row number as in the file (header and skipped rows included). */
  row: number;
  values: string[];
}

export interface CsvPreview {
  file: string;
  dialect: CsvDialect;
  columns: string[];
  rows: CsvPreviewRow[];
  /** Bad rows among the previewed ones. */
  issues: RunIssue[];
}

/** A whole-file failure (empty, binary, unreadable): names the file so the runner can report it and go on. */
export class SourceFileError extends Error {
  readonly place: SourcePlace;
  constructor(message: string, place: SourcePlace) {
    super(message);
    this.name = "SourceFileError";
    this.place = place;
  }
}
