/**
 * A JSON array of objects, one per row, streamed: `[` … `]` with rows written as they arrive. Keys are column names;
 * NULL is null; BIGINT beyond 2^53 is a decimal string (never a rounded number); DATE and TIMESTAMP are ISO strings;
 * DECIMAL is a number written with the column's scale (no double noise: 1234567.89, not 1234567.8900000001).
 */
import type { Column } from "../engine/types.ts";
import { drive } from "./drive.ts";
import { TextChunker } from "./sink.ts";
import type { ExportOptions, ExportSink, ExportSummary, ResultChunks } from "./types.ts";
import { type ColumnFormat, columnFormats, jsonSafe, valueText } from "./values.ts";

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** One value as JSON text. */
export function jsonValueText(value: unknown, format: ColumnFormat): string {
  if (value === null || value === undefined) return "null";
  const { kind } = format;
  // Raw Arrow values the engine leaves alone get the same text as CSV.
  if (kind === "time" || kind === "blob") return JSON.stringify(valueText(value, kind));
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return JSON.stringify(String(value));
    return kind === "decimal" ? (valueText(value, kind, format.scale) as string) : String(value);
  }
  if (typeof value === "string" && (kind === "decimal" || kind === "number" || kind === "integer")) {
    // Exact numeric text (the server's BIGINT and DECIMAL): a JSON number when a reader's double keeps it, else a string.
    if (!JSON_NUMBER.test(value)) return JSON.stringify(value);
    if (kind === "integer") return Number.isSafeInteger(Number(value)) ? value : JSON.stringify(value);
    return value;
  }
  return JSON.stringify(value, jsonSafe);
}

export function exportJson(source: ResultChunks, sink: ExportSink, options: ExportOptions = {}): Promise<ExportSummary> {
  let chunker: TextChunker;
  let formats: ColumnFormat[] = [];
  let keys: string[] = [];
  let first = true;
  return drive(source, sink, options, {
    async start(columns: Column[], writer) {
      chunker = new TextChunker(writer);
      formats = columnFormats(columns, options.types);
      keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
      await chunker.push("[");
    },
    async rows(batch) {
      let text = "";
      for (const row of batch.rows) {
        let object = "{";
        for (let c = 0; c < formats.length; c++) {
          object += `${c > 0 ? "," : ""}${keys[c]}${jsonValueText(row[formats[c].name], formats[c])}`;
        }
        text += `${first ? "\n" : ",\n"}${object}}`;
        first = false;
      }
      await chunker.push(text);
    },
    async end() {
      await chunker.push(first ? "]\n" : "\n]\n");
      await chunker.flush();
    },
  });
}
