/**
 * RFC 4180 CSV: UTF-8, CRLF line ends, header = column names, a field quoted only when it holds a quote, the
 * delimiter or a line break (or is an empty string, so it stays distinct from NULL, which is written as nothing).
 * Numbers are written locale-independently (`1234.5`), dates as ISO. An optional BOM makes Excel read UTF-8.
 */
import type { Column, Row } from "../engine/types.ts";
import { drive } from "./drive.ts";
import { type ByteWriter, TextChunker } from "./sink.ts";
import type { ExportOptions, ExportSink, ExportSummary, ResultChunks } from "./types.ts";
import { kindOf, type ValueKind, valueText } from "./values.ts";

export interface CsvOptions extends ExportOptions {
  /** Start with a UTF-8 byte order mark (Excel on Windows needs it to read accents). Default false. */
  bom?: boolean;
  /** Default ",". */
  delimiter?: string;
  /** Default "\r\n" (RFC 4180). */
  lineEnd?: string;
}

export function csvField(text: string | null, delimiter = ","): string {
  if (text === null) return "";
  if (text === "") return '""';
  if (text.includes('"') || text.includes(delimiter) || text.includes("\n") || text.includes("\r")) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

function lineOf(row: Row, columns: Column[], kinds: ValueKind[], delimiter: string): string {
  let line = "";
  for (let c = 0; c < columns.length; c++) {
    if (c > 0) line += delimiter;
    line += csvField(valueText(row[columns[c].name], kinds[c]), delimiter);
  }
  return line;
}

export function exportCsv(source: ResultChunks, sink: ExportSink, options: CsvOptions = {}): Promise<ExportSummary> {
  const delimiter = options.delimiter ?? ",";
  const lineEnd = options.lineEnd ?? "\r\n";
  let chunker: TextChunker;
  let kinds: ValueKind[] = [];
  return drive(source, sink, options, {
    async start(columns: Column[], writer: ByteWriter) {
      chunker = new TextChunker(writer);
      kinds = columns.map(kindOf);
      if (options.bom) await chunker.push("\uFEFF");
      await chunker.push(columns.map((c) => csvField(c.name, delimiter)).join(delimiter) + lineEnd);
    },
    async rows(rows, columns) {
      for (const row of rows) await chunker.push(lineOf(row, columns, kinds, delimiter) + lineEnd);
    },
    async end() {
      await chunker.flush();
    },
  });
}

/**
 * Rows as TSV for pasting into a spreadsheet ("Copy as"): tabs between fields, "\n" between rows, NULL as nothing.
 * Fields holding a tab, quote or line break are quoted as spreadsheets expect when pasting.
 */
export function toTsv(columns: Column[], rows: Row[]): string {
  const kinds = columns.map(kindOf);
  const lines = [columns.map((c) => csvField(c.name, "\t")).join("\t")];
  for (const row of rows) {
    lines.push(columns.map((c, i) => csvField(valueText(row[c.name], kinds[i]), "\t").replace(/^""$/, "")).join("\t"));
  }
  return `${lines.join("\n")}\n`;
}
