/**
 * Streams the rows of one sheet with exceljs's WorkbookReader (rows are never all in memory), fixing up what it
 * misses: merged ranges are filled with their top-left value (rows wholly inside a merge but absent from the XML are
 * made up), ISO date cells keep their date, date-formatted numbers become ISO dates in the workbook's date system.
 */
import { createReadStream } from "node:fs";
import ExcelJS from "exceljs";
import type { RawValue, RunIssue } from "../core/types.ts";
import { type CellResult, cellValue, isoFromDate } from "./cells.ts";
import { readSharedStrings, sharedStringIndex } from "./shared-strings.ts";
import { columnLetter, type MergedRange, type RawCell, scanSheet } from "./sheet-scan.ts";
import type { OpenedWorkbook } from "./workbook.ts";

export interface SheetRow {
  row: number;
  /** 1-based column → value; empty cells are absent. */
  cells: Map<number, RawValue>;
}

interface ExcelCellLike {
  value: unknown;
  numFmt?: string;
}
interface ExcelRowLike {
  number: number;
  eachCell(cb: (cell: ExcelCellLike, col: number) => void): void;
}

export async function* streamSheetRows(
  book: OpenedWorkbook,
  sheet: string,
  report: (issue: RunIssue) => void,
  signal?: AbortSignal,
): AsyncGenerator<SheetRow> {
  const sheetPath = book.sheetPaths.get(sheet);
  const extras = sheetPath ? await scanSheet(book, sheetPath) : { merges: [], raw: new Map<string, RawCell>() };
  const merges = new MergeFiller(extras.merges);
  let sharedStrings: string[] | undefined;
  const input = createReadStream(book.path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  try {
    for await (const worksheet of reader) {
      const ws = worksheet as unknown as { name: string } & AsyncIterable<ExcelRowLike>;
      // Other sheets must still be read through: the ZIP is one stream.
      if (ws.name !== sheet) {
        for await (const _ of ws) signal?.throwIfAborted();
        continue;
      }
      let last = 0;
      for await (const xlRow of ws) {
        signal?.throwIfAborted();
        for (let gap = last + 1; gap < xlRow.number; gap++) {
          const filled = merges.fill(gap, new Map());
          if (filled.size > 0) yield { row: gap, cells: filled };
        }
        last = xlRow.number;
        const cells = new Map<number, RawValue>();
        const xlCells: Array<[ExcelCellLike, number]> = [];
        xlRow.eachCell((cell, col) => xlCells.push([cell, col]));
        if (!sharedStrings && xlCells.some(([cell]) => sharedStringIndex(cell.value) !== undefined)) {
          sharedStrings = await readSharedStrings(book);
        }
        for (const [xlCell, col] of xlCells) {
          const ref = `${columnLetter(col)}${xlRow.number}`;
          const raw = extras.raw.get(ref);
          const index = sharedStringIndex(xlCell.value);
          const cell = index === undefined ? xlCell : { ...xlCell, value: sharedStrings?.[index] ?? null };
          const { value, problem } = raw ? rawCellValue(raw) : cellValue(cell, book.date1904);
          if (problem) {
            const place = { file: book.file, sheet, row: xlRow.number, column: columnLetter(col) };
            report({ severity: "warning", message: `file ${book.file}, sheet ${sheet}, cell ${ref}: ${problem}`, place });
          }
          if (value !== null && value !== "") cells.set(col, value);
        }
        const filled = merges.fill(xlRow.number, cells);
        if (filled.size > 0) yield { row: xlRow.number, cells: filled };
      }
      for (const tail of merges.rowsAfter(last)) yield tail;
    }
  } finally {
    input.destroy();
  }
}

function rawCellValue(raw: RawCell): CellResult {
  if (raw.type === "b") return { value: raw.text === "1" || raw.text === "true" };
  if (raw.type === "e") return { value: raw.text, problem: `the cell holds the error ${raw.text}` };
  if (raw.type === "inlineStr") return { value: raw.text };
  // ISO date text: without a zone it is a wall-clock time, kept as written.
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(raw.text) || raw.text.length <= 10 ? raw.text : `${raw.text}Z`);
  return { value: Number.isNaN(date.getTime()) ? raw.text : isoFromDate(date) };
}

/** Gives every cell of a merged range the value of its top-left cell (Excel keeps the value there only). */
class MergeFiller {
  private readonly values = new Map<MergedRange, RawValue>();
  constructor(private readonly ranges: MergedRange[]) {}

  fill(row: number, cells: Map<number, RawValue>): Map<number, RawValue> {
    for (const range of this.ranges) {
      if (row < range.top || row > range.bottom) continue;
      if (row === range.top) this.values.set(range, cells.get(range.left) ?? null);
      const value = this.values.get(range);
      if (value === null || value === undefined) continue;
      for (let col = range.left; col <= range.right; col++) if (!cells.has(col)) cells.set(col, value);
    }
    return cells;
  }

  /** Rows below the last row in the XML that a merge still covers. */
  *rowsAfter(last: number): Generator<SheetRow> {
    const bottom = Math.max(0, ...this.ranges.map((r) => r.bottom));
    for (let row = last + 1; row <= bottom; row++) {
      const cells = this.fill(row, new Map());
      if (cells.size > 0) yield { row, cells };
    }
  }
}
