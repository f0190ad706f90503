/**
 * RFC 4180 CSV: UTF-8, CRLF line ends, header = column names, a field quoted only when it holds a quote, the
 * delimiter or a line break (or is an empty string, so it stays distinct from NULL, which is written as nothing).
 * Numbers are written locale-independently (`1234.5`, `2` for 2.0), DECIMAL columns with their scale, dates as ISO.
 * Text that a spreadsheet would run as a formula gets a leading apostrophe (formula.ts). An optional BOM makes Excel
 * read UTF-8.
 *
 * Batches that carry their Arrow record batch are written column by column from the Arrow vectors (arrow-text.ts),
 * without building row objects; other batches (and columns of types without a fast path) go through `batch.rows`.
 */
import type { Column, Row } from "../engine/types.ts";
import { arrowColumnTexts } from "./arrow-text.ts";
import { drive } from "./drive.ts";
import { neutraliseFormula } from "./formula.ts";
import { type ByteWriter, TextChunker } from "./sink.ts";
import type { ExportOptions, ExportSink, ExportSummary, ResultBatch, ResultChunks } from "./types.ts";
import { type ColumnFormat, columnFormats, valueText } from "./values.ts";

export interface CsvOptions extends ExportOptions {
  /** Start with a UTF-8 byte order mark (Excel on Windows needs it to read accents). Default false. */
  bom?: boolean;
  /** Default ",". */
  delimiter?: string;
  /** Default "\r\n" (RFC 4180). */
  lineEnd?: string;
}

const needsQuotesFor = new Map<string, RegExp>();
function quoteTest(delimiter: string): RegExp {
  let test = needsQuotesFor.get(delimiter);
  if (!test) {
    test = new RegExp(`["\\r\\n]|${delimiter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
    needsQuotesFor.set(delimiter, test);
  }
  return test;
}

/** One field: NULL → nothing, "" → `""`, quoted when it holds a quote, the delimiter or a line break. */
export function csvField(text: string | null, delimiter = ","): string {
  if (text === null) return "";
  if (text === "") return '""';
  return quoteTest(delimiter).test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A value's field: text columns are neutralised against formulas, numbers and dates are not. */
export function csvValue(value: unknown, format: ColumnFormat, delimiter = ","): string {
  const text = valueText(value, format.kind, format.scale);
  if (text === null) return "";
  return csvField(format.kind === "text" ? neutraliseFormula(text) : text, delimiter);
}

/** Column-wise: each column's fields first (from Arrow when possible), then the lines. */
function batchText(batch: ResultBatch, formats: ColumnFormat[], delimiter: string, lineEnd: string): string {
  const arrow = batch.arrow;
  const n = arrow ? arrow.numRows : batch.rows.length;
  const fields: string[][] = formats.map((format, c) => {
    const texts = arrow ? arrowColumnTexts(arrow, c, format) : undefined;
    const out: string[] = new Array(n);
    if (texts) {
      const quote = quoteTest(delimiter);
      const text = format.kind === "text";
      for (let r = 0; r < n; r++) {
        let t = texts[r];
        if (t === null) out[r] = "";
        else if (t === "") out[r] = '""';
        else {
          if (text) t = neutraliseFormula(t);
          out[r] = quote.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
        }
      }
    } else {
      const rows: Row[] = batch.rows;
      for (let r = 0; r < n; r++) out[r] = csvValue(rows[r][format.name], format, delimiter);
    }
    return out;
  });
  const parts: string[] = new Array(n);
  const last = formats.length - 1;
  for (let r = 0; r < n; r++) {
    let line = "";
    for (let c = 0; c < last; c++) line += fields[c][r] + delimiter;
    parts[r] = line + (last >= 0 ? fields[last][r] : "") + lineEnd;
  }
  return parts.join("");
}

export function exportCsv(source: ResultChunks, sink: ExportSink, options: CsvOptions = {}): Promise<ExportSummary> {
  const delimiter = options.delimiter ?? ",";
  const lineEnd = options.lineEnd ?? "\r\n";
  let chunker: TextChunker;
  let formats: ColumnFormat[] = [];
  return drive(source, sink, options, {
    async start(columns: Column[], writer: ByteWriter) {
      chunker = new TextChunker(writer);
      formats = columnFormats(columns, options.types);
      if (options.bom) await chunker.push("\uFEFF");
      await chunker.push(columns.map((c) => csvField(neutraliseFormula(c.name), delimiter)).join(delimiter) + lineEnd);
    },
    async rows(batch) {
      await chunker.push(batchText(batch, formats, delimiter, lineEnd));
    },
    async end() {
      await chunker.flush();
    },
  });
}

/**
 * Rows as TSV for pasting into a spreadsheet ("Copy as"): tabs between fields, "\n" between rows, NULL as nothing.
 * Fields holding a tab, quote or line break are quoted as spreadsheets expect when pasting; text that would run as a
 * formula gets a leading apostrophe, as in CSV.
 */
export function toTsv(columns: Column[], rows: Row[], types?: Readonly<Record<string, string>>): string {
  const formats = columnFormats(columns, types);
  const lines = [columns.map((c) => csvField(neutraliseFormula(c.name), "\t")).join("\t")];
  for (const row of rows) {
    lines.push(formats.map((f) => csvValue(row[f.name], f, "\t").replace(/^""$/, "")).join("\t"));
  }
  return `${lines.join("\n")}\n`;
}
