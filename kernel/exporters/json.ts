/**
 * A JSON array of objects, one per row, streamed: `[` … `]` with rows written as they arrive. Keys are column names;
 * NULL is null; BIGINT beyond 2^53 is a decimal string (never a rounded number); DATE and TIMESTAMP are ISO strings.
 */
import type { Column, Row } from "../engine/types.ts";
import { drive } from "./drive.ts";
import { TextChunker } from "./sink.ts";
import type { ExportOptions, ExportSink, ExportSummary, ResultChunks } from "./types.ts";
import { jsonSafe, kindOf, type ValueKind, valueText } from "./values.ts";

function jsonValue(value: unknown, kind: ValueKind): unknown {
  if (value === null || value === undefined) return null;
  // Raw Arrow values the engine leaves alone get the same text as CSV.
  if (kind === "time" || kind === "blob") return valueText(value, kind);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

export function exportJson(source: ResultChunks, sink: ExportSink, options: ExportOptions = {}): Promise<ExportSummary> {
  let chunker: TextChunker;
  let kinds: ValueKind[] = [];
  let first = true;
  return drive(source, sink, options, {
    async start(columns: Column[], writer) {
      chunker = new TextChunker(writer);
      kinds = columns.map(kindOf);
      await chunker.push("[");
    },
    async rows(rows: Row[], columns) {
      for (const row of rows) {
        const object: Record<string, unknown> = {};
        for (let c = 0; c < columns.length; c++) object[columns[c].name] = jsonValue(row[columns[c].name], kinds[c]);
        await chunker.push((first ? "\n" : ",\n") + JSON.stringify(object, jsonSafe));
        first = false;
      }
    },
    async end() {
      await chunker.push(first ? "]\n" : "\n]\n");
      await chunker.flush();
    },
  });
}
