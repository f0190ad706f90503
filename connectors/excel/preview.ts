import type { RunIssue } from "../core/types.ts";
import { sheetRecords } from "./rows.ts";
import type { ExcelOptions, ExcelPreview, ExcelPreviewRow } from "./types.ts";
import { chooseSheet, openWorkbook } from "./workbook.ts";

export const PREVIEW_ROWS = 50;

/** What the upload wizard shows for one sheet: its columns and first rows, and the list of sheets to choose from. */
export async function previewExcel(path: string, options: ExcelOptions = {}, limit = PREVIEW_ROWS): Promise<ExcelPreview> {
  const book = await openWorkbook(path, options.name);
  const sheet = chooseSheet(book, options.sheet).name;
  const issues: RunIssue[] = [];
  const reader = sheetRecords(book, sheet, options.headerRow, (i) => issues.push(i));
  const rows: ExcelPreviewRow[] = [];
  for await (const record of reader.records()) {
    rows.push({ row: record.place.row ?? 0, values: record.values });
    if (rows.length >= limit) break;
  }
  return { file: book.file, sheet, sheets: book.sheets, headerRow: reader.headerRow(), columns: reader.columns(), rows, issues };
}
