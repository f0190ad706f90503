/**
 * A cell's full result streamed as CSV, JSON or XLSX, produced by native DuckDB re-running its SQL with bound values
 * (the export database of native-export.server.ts: locked down, datasets read-only). DuckDB's streaming result is read
 * chunk by chunk (2,048 rows) and handed to the kernel exporters, which wait for the sink before asking for more: the
 * file is never whole in memory, however many rows, and a slow client slows the query down instead of filling memory.
 * Parquet cannot be streamed while it is written (its footer comes last): it is COPY'd to a temp file, then streamed.
 *
 * Values reach JavaScript as what the exporters print, decided by native DuckDB in a projection over the SELECT:
 * BIGINT/HUGEINT and DECIMAL as exact text (DECIMAL with its scale: 12.30, never 12.299999999), DATE as ISO,
 * TIMESTAMP as ISO with milliseconds, FLOAT as its shortest text, lists/structs as JSON; DOUBLE stays a number
 * (printed shortest and locale-independently: 2, not 2.0). Column types stay the SELECT's own, so XLSX cells are typed.
 */
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import { DuckDBTypeId } from "@duckdb/node-api";
import type { Column, Row } from "../../kernel/engine/types.ts";
import {
  csvField,
  type ExportSummary,
  exportJson,
  exportXlsx,
  neutraliseFormula,
  type ResultBatch,
} from "../../kernel/exporters/index.ts";
import { byteWriter, TextChunker } from "../../kernel/exporters/sink.ts";
import { csvLineExpression } from "./csv-sql.server.ts";
import {
  assertSingleSelect,
  bindAll,
  ExportRefused,
  message,
  openExportDatabase,
  type ParamValue,
  quoteIdent,
  runNativeExport,
} from "./native-export.server.ts";

export type StreamFormat = "csv" | "csv-bom" | "json" | "xlsx" | "parquet";

export interface StreamExportInput {
  sql: string;
  params: Readonly<Record<string, ParamValue>>;
  /** slug → the file the user may read (version file or their slice). */
  datasets: Readonly<Record<string, string>>;
  format: StreamFormat;
  sheetName?: string;
  signal?: AbortSignal;
  /** Rows written so far, after each batch (for the audit of an interrupted download). */
  onProgress?: (rows: number) => void;
}

const body = (sql: string) => sql.trim().replace(/;\s*$/, "");

/** The SQL that makes DuckDB hand over each value as the exporters print it (see the module comment). */
function exportExpression(name: string, type: DuckDBType): string {
  const c = quoteIdent(name);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return c;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return `strftime(CAST(${c} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
      return `CAST(to_json(${c}) AS VARCHAR)`;
    default:
      return `CAST(${c} AS VARCHAR)`;
  }
}

/** The SELECT's columns (names and DuckDB types), from a bound LIMIT 0 run: parameter types are known only once bound. */
async function describe(
  conn: DuckDBConnection,
  sql: string,
  params: StreamExportInput["params"],
): Promise<{ names: string[]; types: DuckDBType[] }> {
  try {
    const probe = await conn.prepare(`SELECT * FROM (\n${body(sql)}\n) LIMIT 0`);
    bindAll(probe, params);
    const reader = await probe.runAndReadAll();
    return { names: reader.columnNames(), types: reader.columnTypes() };
  } catch (error) {
    if (error instanceof ExportRefused) throw error;
    throw new ExportRefused(`The cell's SQL failed: ${message(error)}`);
  }
}

/**
 * Checks that the SQL is one SELECT that runs with these values over these datasets, and returns its columns.
 * Used when a download ticket is issued, so a broken cell is reported to the page rather than as a failed download.
 */
export async function probeExport(input: Pick<StreamExportInput, "sql" | "params" | "datasets">): Promise<Column[]> {
  const { instance, conn } = await openExportDatabase(input.datasets, null);
  try {
    await assertSingleSelect(conn, input.sql);
    const { names, types } = await describe(conn, input.sql, input.params);
    return names.map((name, i) => ({ name, type: String(types[i]) }));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** DuckDB's streaming result as exporter batches; the connection is released by the caller. */
async function* chunksOf(
  conn: DuckDBConnection,
  sql: string,
  params: StreamExportInput["params"],
  signal: AbortSignal | undefined,
): AsyncGenerator<ResultBatch> {
  const { names, types } = await describe(conn, sql, params);
  const columns: Column[] = names.map((name, i) => ({ name, type: String(types[i]) }));
  // Positional aliases: the projection reads each column even when two share a name.
  const aliases = names.map((_, i) => `c${i}`);
  const projection = names.map((name, i) => `${exportExpression(aliases[i], types[i])} AS ${quoteIdent(name)}`).join(", ");
  const statement = await conn.prepare(
    `SELECT ${projection || "*"} FROM (\n${body(sql)}\n) AS export_source(${aliases.map(quoteIdent).join(", ")})`,
  );
  bindAll(statement, params);
  const result = await statement.stream();
  const nested = types.flatMap((t, i) => (exportExpression("x", t).startsWith("CAST(to_json") ? [i] : []));
  yield { columns, rows: [] };
  for (;;) {
    if (signal?.aborted) throw new ExportRefused("The download was interrupted");
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const data = chunk.getColumns();
    const n = chunk.rowCount;
    // Lists and structs arrive as to_json text: parsed back, so JSON nests them as the browser's export does.
    for (const c of nested) data[c] = data[c].map((v) => (typeof v === "string" ? JSON.parse(v) : v));
    const rows: Row[] = new Array(n);
    for (let r = 0; r < n; r++) {
      const row: Row = {};
      for (let c = 0; c < names.length; c++) row[names[c]] = data[c][r];
      rows[r] = row;
    }
    yield { columns, rows };
  }
}

/**
 * Writes the export into `sink` (a WritableStream: its backpressure paces the query) and resolves with the rows and
 * bytes written. Throws ExportRefused for SQL that is not one SELECT, fails, or lacks a parameter value.
 */
export async function streamExport(input: StreamExportInput, sink: WritableStream<Uint8Array>): Promise<ExportSummary> {
  if (input.format === "parquet") return streamParquet(input, sink);
  // One thread keeps an ORDER BY's rows in order through the streaming result (see openExportDatabase).
  const { instance, conn } = await openExportDatabase(input.datasets, null, { threads: 1 });
  try {
    await assertSingleSelect(conn, input.sql);
    if (input.format === "csv" || input.format === "csv-bom") return await streamCsvLines(conn, input, sink);
    const source = chunksOf(conn, input.sql, input.params, input.signal);
    const options = { signal: input.signal, onProgress: input.onProgress };
    if (input.format === "json") return await exportJson(source, sink, options);
    return await exportXlsx(source, sink, { ...options, mode: "stream", sheetName: input.sheetName });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** CSV: DuckDB writes each finished line (csv-sql.server.ts); here they are joined and written as the sink drains. */
async function streamCsvLines(
  conn: DuckDBConnection,
  input: StreamExportInput,
  sink: WritableStream<Uint8Array>,
): Promise<ExportSummary> {
  const writer = byteWriter(sink);
  try {
    const { names, types } = await describe(conn, input.sql, input.params);
    const columns: Column[] = names.map((name, i) => ({ name, type: String(types[i]) }));
    const aliases = names.map((_, i) => `c${i}`);
    const line = names.length > 0 ? csvLineExpression(aliases, types) : "chr(13) || chr(10)";
    const statement = await conn.prepare(
      `SELECT ${line} AS line FROM (\n${body(input.sql)}\n) AS export_source(${aliases.map(quoteIdent).join(", ")})`,
    );
    bindAll(statement, input.params);
    const result = await statement.stream();
    const chunker = new TextChunker(writer);
    const header = names.map((name) => csvField(neutraliseFormula(name))).join(",");
    await chunker.push(`${input.format === "csv-bom" ? "\uFEFF" : ""}${header}\r\n`);
    let rows = 0;
    for (;;) {
      if (input.signal?.aborted) throw new ExportRefused("The download was interrupted");
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const vector = chunk.getColumnVector(0);
      const n = chunk.rowCount;
      const lines: string[] = new Array(n);
      for (let r = 0; r < n; r++) lines[r] = vector.getItem(r) as string;
      await chunker.push(lines.join(""));
      rows += n;
      input.onProgress?.(rows);
    }
    await chunker.flush();
    await writer.close();
    return { columns, rows, bytes: writer.bytes };
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
}

async function streamParquet(input: StreamExportInput, sink: WritableStream<Uint8Array>): Promise<ExportSummary> {
  const file = await runNativeExport({ sql: input.sql, params: input.params, datasets: input.datasets, format: "parquet" });
  let bytes = 0;
  const counted = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  await file.body.pipeThrough(counted).pipeTo(sink, { signal: input.signal });
  input.onProgress?.(file.rows);
  return { columns: [], rows: file.rows, bytes };
}
