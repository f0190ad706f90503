/**
 * XLSX with typed cells: numbers as numbers, DATE and TIMESTAMP as Excel dates (with a date format), booleans as
 * booleans, a header row of column names, NULL as an empty cell. BIGINT beyond 2^53 stays exact as text (an Excel
 * number would round it).
 *
 * Two ways to write, both exceljs:
 * - "stream" (Node: exceljs's `stream.xlsx.WorkbookWriter`): rows are committed as they arrive and zipped straight to
 *   the sink, with inline strings (no shared-string table), so memory does not grow with the row count.
 * - "buffer" (browser: exceljs's browser build has no streaming writer): the whole workbook is built in memory and
 *   written with `writeBuffer()` at the end. Memory grows with the result (roughly 0.5–1 KB per row of 10 columns);
 *   `maxRows` refuses results too big for a tab; the server path (CSV/Parquet) is the way out for those.
 * A sheet holds at most 1,048,576 rows: longer results continue on "<sheet> (2)", each with its header.
 */
import type { Column } from "../engine/types.ts";
import { drive, ExportError } from "./drive.ts";
import type { ByteWriter } from "./sink.ts";
import type { ExportOptions, ExportSink, ExportSummary, ResultChunks } from "./types.ts";
import { type ColumnFormat, columnFormats, decimalText, type ValueKind, valueText } from "./values.ts";

export const XLSX_MAX_SHEET_ROWS = 1_048_576;
const DATE_FORMAT = "yyyy-mm-dd";
const TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss";

export interface XlsxOptions extends ExportOptions {
  sheetName?: string;
  /** Default: "stream" where exceljs has a streaming writer (Node), else "buffer". */
  mode?: "stream" | "buffer";
  /** Refuse results longer than this (buffer mode guard). Default: 1,000,000 in buffer mode, unlimited when streaming. */
  maxRows?: number;
  /** Rows per sheet, header included (tests use a small one). Default 1,048,576. */
  sheetRows?: number;
}

type ExcelJsModule = typeof import("exceljs");
type Worksheet = import("exceljs").Worksheet;

/** Excel refuses sheet names over 31 characters or with []:*?/\ . */
export function safeSheetName(name: string | undefined): string {
  const cleaned = (name ?? "")
    .replace(/[[\]:*?/\\]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^'+|'+$/g, "");
  return (cleaned || "Result").slice(0, 31);
}

export function xlsxValue(value: unknown, kind: ValueKind, scale = -1): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "integer":
    case "number":
    case "decimal":
      if (typeof value === "number") {
        if (!Number.isFinite(value)) return String(value);
        // A DECIMAL the browser engine cast to a double: rounded to its scale, so 1234567.8900000001 is 1234567.89.
        return kind === "decimal" ? Number(decimalText(value, scale)) : value;
      }
      if (typeof value === "bigint") return numberOrText(valueText(value, kind) as string, kind);
      return typeof value === "string" ? numberOrText(value, kind) : value;
    case "boolean":
      return value;
    case "date":
      if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
        const [y, m, d] = value.split("-").map(Number);
        return new Date(Date.UTC(y, m - 1, d));
      }
      return value instanceof Date ? value : valueText(value, kind);
    case "timestamp": {
      const date = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(date.getTime()) ? valueText(value, kind) : date;
    }
    default: {
      // Both writers then agree: the streaming one drops empty inline strings, the buffer one would keep them.
      // Text starting with "=" needs no escaping here: a string cell is never evaluated (only formula cells are).
      const text = valueText(value, kind, scale);
      return text === "" ? null : text;
    }
  }
}

/**
 * Exact numeric text (the server sends BIGINT and DECIMAL as text): a number when a double holds it exactly enough
 * (integers up to 2^53, decimals up to 15 significant digits), else text, which Excel would otherwise round.
 */
function numberOrText(text: string, kind: ValueKind): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (kind === "integer") return Number.isSafeInteger(n) ? n : text;
  return text.replace(/^-/, "").replace(/\./, "").replace(/^0+/, "").length <= 15 ? n : text;
}

async function loadExcelJs(): Promise<ExcelJsModule> {
  const mod = (await import("exceljs")) as unknown as ExcelJsModule & { default?: ExcelJsModule };
  return mod.default ?? mod;
}

interface SheetTarget {
  addSheet(name: string): Worksheet;
  commitRow(sheet: Worksheet, values: unknown[]): void;
  finishSheet(sheet: Worksheet): Promise<void>;
  finish(writer: ByteWriter): Promise<void>;
  /** Resolves once the zip has taken most of what the committed rows produced (streaming backpressure). */
  drained(sheet: Worksheet): Promise<void>;
}

/**
 * XML bytes a streaming worksheet holds that the zip has not compressed yet. exceljs buffers them without limit twice:
 * in the sheet's own StreamBuf, and in the archiver entry it pipes to (its batch mode ignores the pipe's backpressure).
 */
function sheetBacklog(sheet: Worksheet): number {
  // archiver's PassThrough comes from readable-stream 3, without the writableLength getter: its states are read.
  type Piped = { _writableState?: { length?: number }; _readableState?: { length?: number } };
  const stream = (sheet as unknown as { _stream?: { buffers?: { length: number }[]; pipes?: Piped[] } })._stream;
  let total = 0;
  for (const b of stream?.buffers ?? []) total += b.length;
  for (const p of stream?.pipes ?? []) total += (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0);
  return total;
}

const MAX_BACKLOG = 4 * 1024 * 1024;
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function streamingTarget(excel: ExcelJsModule, writer: ByteWriter): Promise<SheetTarget> {
  // A variable specifier keeps bundlers from pulling node:stream into the browser build (this path is Node-only).
  const nodeStream = "node:stream";
  const { Writable } = (await import(/* @vite-ignore */ nodeStream)) as typeof import("node:stream");
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writer.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)).then(() => callback(), callback);
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    out.once("finish", resolve);
    out.once("error", reject);
  });
  const book = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  return {
    addSheet: (name) => book.addWorksheet(name),
    commitRow: (sheet, values) => sheet.addRow(values).commit(),
    finishSheet: async (sheet) => (sheet as unknown as { commit(): void }).commit(),
    async drained(sheet) {
      await tick();
      // exceljs commits rows synchronously into an unbounded buffer; wait for the zip to catch up so memory stays flat.
      while (sheetBacklog(sheet) > MAX_BACKLOG) await tick();
    },
    async finish() {
      await book.commit();
      await finished;
    },
  };
}

function bufferTarget(excel: ExcelJsModule): SheetTarget {
  const book = new excel.Workbook();
  return {
    addSheet: (name) => book.addWorksheet(name),
    commitRow: (sheet, values) => {
      sheet.addRow(values);
    },
    finishSheet: async () => {},
    drained: async () => {},
    async finish(writer) {
      const buffer = await book.xlsx.writeBuffer();
      await writer.write(new Uint8Array(buffer as ArrayBuffer));
    },
  };
}

export async function exportXlsx(source: ResultChunks, sink: ExportSink, options: XlsxOptions = {}): Promise<ExportSummary> {
  const excel = await loadExcelJs();
  const canStream = typeof excel.stream?.xlsx?.WorkbookWriter === "function";
  const mode = options.mode ?? (canStream ? "stream" : "buffer");
  if (mode === "stream" && !canStream) throw new ExportError("This exceljs build has no streaming writer; use mode 'buffer'");
  const maxRows = options.maxRows ?? (mode === "buffer" ? 1_000_000 : Number.POSITIVE_INFINITY);
  const sheetRows = options.sheetRows ?? XLSX_MAX_SHEET_ROWS;
  const baseName = safeSheetName(options.sheetName);
  let target: SheetTarget;
  let sheet: Worksheet;
  let formats: ColumnFormat[] = [];
  let sheets = 0;
  let rowsInSheet = 0;
  let written = 0;

  const openSheet = (columns: Column[]) => {
    sheets++;
    sheet = target.addSheet(sheets === 1 ? baseName : `${baseName.slice(0, 25)} (${sheets})`);
    // Column formats, so every date cell in the column shows as a date; set before the first row is committed.
    sheet.columns = columns.map((c, i) => ({
      key: `c${i}`,
      width: Math.min(40, Math.max(10, c.name.length + 2)),
      style:
        formats[i].kind === "date"
          ? { numFmt: DATE_FORMAT }
          : formats[i].kind === "timestamp"
            ? { numFmt: TIMESTAMP_FORMAT }
            : {},
    }));
    target.commitRow(
      sheet,
      columns.map((c) => c.name),
    );
    rowsInSheet = 1;
  };

  return drive(source, sink, options, {
    async start(columns, writer) {
      target = mode === "stream" ? await streamingTarget(excel, writer) : bufferTarget(excel);
      formats = columnFormats(columns, options.types);
      openSheet(columns);
    },
    async rows(batch, columns) {
      const rows = batch.rows;
      if (written + rows.length > maxRows) {
        throw new ExportError(
          `The result has more than ${maxRows.toLocaleString("en")} rows, too many for an XLSX built in the browser; export CSV or Parquet instead`,
        );
      }
      for (const row of rows) {
        if (rowsInSheet >= sheetRows) {
          await target.finishSheet(sheet);
          openSheet(columns);
        }
        target.commitRow(
          sheet,
          formats.map((f) => xlsxValue(row[f.name], f.kind, f.scale)),
        );
        rowsInSheet++;
      }
      written += rows.length;
      await target.drained(sheet);
    },
    async end(_columns, writer) {
      await target.finishSheet(sheet);
      await target.finish(writer);
    },
  });
}
