import type { RawValue, RunIssue } from "../core/types.ts";

export { SourceFileError } from "../csv/types.ts";

export type SheetState = "visible" | "hidden" | "veryHidden";

export interface SheetInfo {
  name: string;
  /** 0-based position in the workbook's tab order. */
  index: number;
  state: SheetState;
  /** Hidden and very hidden sheets are listed but never chosen by default. */
  hidden: boolean;
}

export interface WorkbookInfo {
  sheets: SheetInfo[];
  /** true when the workbook counts dates from 1904 (old Mac Excel); serial numbers then differ by 1,462 days. */
  date1904: boolean;
}

export interface ExcelPreviewRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  values: Record<string, RawValue>;
}

export interface ExcelPreview {
  file: string;
  sheet: string;
  sheets: SheetInfo[];
  headerRow: number;
  columns: string[];
  rows: ExcelPreviewRow[];
  issues: RunIssue[];
}

export interface ExcelOptions {
  /** Sheet name; defaults to the first visible sheet. */
  sheet?: string;
  /** 1-based row holding the column names; defaults to the first non-empty row; 0 → no header (column_A…). */
  headerRow?: number;
  /** Name shown to users (the upload's original name); defaults to the file's base name. */
  name?: string;
}
