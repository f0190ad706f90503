/**
 * Sheet rows → records: finds the header row, names the columns, and turns each later row into a record keyed by
 * column name. Shared by preview and extract.
 */
import type { RawRecord, RawValue, RunIssue } from "../core/types.ts";
import { streamSheetRows } from "./read.ts";
import { columnLetter } from "./sheet-scan.ts";
import type { OpenedWorkbook } from "./workbook.ts";

export interface SheetRecords {
  /** Row number of the header, known once it has been read; 0 when the sheet is read without one. */
  headerRow(): number;
  columns(): string[];
  records(): AsyncGenerator<RawRecord>;
}

export function sheetRecords(
  book: OpenedWorkbook,
  sheet: string,
  wantedHeaderRow: number | undefined,
  report: (issue: RunIssue) => void,
  signal?: AbortSignal,
): SheetRecords {
  let headerRow = 0;
  const names = new Map<number, string>();
  const used = new Set<string>();
  const nameFor = (col: number): string => {
    let name = names.get(col);
    if (name === undefined) {
      name = unique(`column_${columnLetter(col)}`, used);
      names.set(col, name);
    }
    return name;
  };

  async function* records(): AsyncGenerator<RawRecord> {
    for await (const { row, cells } of streamSheetRows(book, sheet, report, signal)) {
      if (headerRow === 0 && wantedHeaderRow !== 0) {
        if (wantedHeaderRow !== undefined && row < wantedHeaderRow) continue;
        headerRow = wantedHeaderRow ?? row;
        if (row === headerRow) {
          for (const col of [...cells.keys()].sort((a, b) => a - b)) {
            names.set(col, unique(headerText(cells.get(col) ?? null) || `column_${columnLetter(col)}`, used));
          }
          continue;
        }
      }
      const values: Record<string, RawValue> = {};
      for (const col of [...cells.keys()].sort((a, b) => a - b)) values[nameFor(col)] = cells.get(col) ?? null;
      // Header columns missing from this row are present as null, so every record has the same keys.
      for (const name of names.values()) if (!(name in values)) values[name] = null;
      yield { values, place: { file: book.file, sheet, row } };
    }
  }

  return {
    headerRow: () => headerRow,
    columns: () => [...names.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n),
    records,
  };
}

function headerText(value: RawValue): string {
  if (value === null) return "";
  return (value instanceof Date ? value.toISOString() : String(value)).trim();
}

function unique(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}
