/**
 * Exports of one SQL cell's FULL result (never just the displayed rows), made where they fit best
 * (docs/decisions/0012-streamed-exports.md; `exportRoute` decides):
 *
 * - In the browser (CSV with or without BOM, XLSX, JSON up to a size): kernel/exporters over the engine's `stream()` of
 *   the cell's view — the exact rows the page shows, no re-run. CSV is written from the Arrow vectors column by column.
 *   The bytes are collected into a Blob (a tab has no streaming save without a file picker), hence the size limits.
 *   Audited on the server (POST /notebooks/:id/export-log) BEFORE the file is offered: a refused record means no file.
 * - On the server (Parquet always; CSV/JSON/XLSX above the limits): the page asks for a one-time download ticket
 *   (POST /notebooks/:id/export-tickets: cell id, format, the bound values) and the browser then downloads
 *   GET /notebooks/:id/export/:ticket, streamed to disk by native DuckDB re-running the stored cell with the user's
 *   dataset access; the server audits it when the stream ends.
 */
import type { Engine, ParamValue } from "../../../kernel/index.ts";

export type BrowserFormat = "csv" | "csv-bom" | "xlsx" | "json";
export type AuditedFormat = BrowserFormat | "tsv";
export type ServerFormat = BrowserFormat | "parquet";

/**
 * Rows up to which the browser writes the file itself (into a Blob: roughly 90 bytes a row of 10 columns for CSV,
 * 200 for JSON; XLSX is built whole in memory by exceljs's browser build, about 1 KB a row, and slowly). Above them,
 * and for Parquet (the browser engine cannot write it offline), the server streams the download.
 */
export const BROWSER_EXPORT_MAX_ROWS: Record<BrowserFormat, number> = {
  csv: 200_000,
  "csv-bom": 200_000,
  json: 100_000,
  xlsx: 50_000,
};

export function exportRoute(format: ServerFormat, totalRows: number): "browser" | "server" {
  if (format === "parquet") return "server";
  return totalRows <= BROWSER_EXPORT_MAX_ROWS[format] ? "browser" : "server";
}

const MIME: Record<BrowserFormat, string> = {
  csv: "text/csv;charset=utf-8",
  "csv-bom": "text/csv;charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json",
};
const EXTENSION: Record<BrowserFormat, string> = { csv: "csv", "csv-bom": "csv", xlsx: "xlsx", json: "json" };

/** Rows "Copy as TSV" puts on the clipboard at most (a spreadsheet paste of more is unusable anyway). */
export const TSV_MAX_ROWS = 100_000;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface ExportedFile {
  blob: Blob;
  fileName: string;
  rows: number;
}

/**
 * The DuckDB types of a cell's columns, from the catalog: the engine's batches report DECIMAL as DOUBLE (it casts the
 * values), and the exporters print DECIMAL with its scale.
 */
export async function cellColumnTypes(engine: Engine, cellName: string): Promise<Record<string, string>> {
  try {
    const result = await engine.query(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $cell",
      { cell: cellName },
    );
    return Object.fromEntries(result.rows.map((r) => [String(r.column_name), String(r.data_type)]));
  } catch {
    return {};
  }
}

export async function exportInBrowser(
  engine: Engine,
  cellName: string,
  format: BrowserFormat,
  notebookTitle: string,
): Promise<ExportedFile> {
  const { exportCsv, exportJson, exportXlsx, fileNameFor } = await import("../../../kernel/exporters/index.ts");
  const chunks: Uint8Array[] = [];
  // Chunks are copied: a writer may reuse its buffer after write() resolves.
  const sink = { write: (chunk: Uint8Array) => void chunks.push(chunk.slice()) };
  const types = await cellColumnTypes(engine, cellName);
  const source = engine.stream(`SELECT * FROM ${quote(cellName)}`);
  const summary =
    format === "xlsx"
      ? await exportXlsx(source, sink, { mode: "buffer", sheetName: cellName, types })
      : format === "json"
        ? await exportJson(source, sink, { types })
        : await exportCsv(source, sink, { bom: format === "csv-bom", types });
  return {
    blob: new Blob(chunks as BlobPart[], { type: MIME[format] }),
    fileName: fileNameFor(notebookTitle, cellName, EXTENSION[format]),
    rows: summary.rows,
  };
}

/**
 * A server-streamed download: a one-time ticket for the cell (of the notebook as stored) with the values the page
 * bound, then a plain navigation to its URL, which the browser saves to disk as it arrives. Throws the server's
 * message when the ticket is refused (no access, SQL error, missing value).
 */
export async function downloadFromServer(
  notebookId: string,
  request: { cellId: string; format: ServerFormat; params: Record<string, ParamValue> },
): Promise<{ fileName: string }> {
  const response = await fetch(`/notebooks/${encodeURIComponent(notebookId)}/export-tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw new Error((await response.text()) || `the server answered ${response.status}`);
  const ticket = (await response.json()) as { url: string; fileName: string };
  const link = document.createElement("a");
  link.href = ticket.url;
  link.download = ticket.fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  return { fileName: ticket.fileName };
}

/** The full result as TSV for the clipboard (at most TSV_MAX_ROWS rows). */
export async function resultAsTsv(engine: Engine, cellName: string): Promise<{ text: string; rows: number; cut: boolean }> {
  const { toTsv } = await import("../../../kernel/exporters/index.ts");
  const types = await cellColumnTypes(engine, cellName);
  const rows: Record<string, unknown>[] = [];
  let columns: { name: string; type: string }[] = [];
  let cut = false;
  for await (const batch of engine.stream(`SELECT * FROM ${quote(cellName)} LIMIT ${TSV_MAX_ROWS + 1}`)) {
    columns = batch.columns;
    rows.push(...batch.rows);
  }
  if (rows.length > TSV_MAX_ROWS) {
    rows.length = TSV_MAX_ROWS;
    cut = true;
  }
  return { text: toTsv(columns, rows, types), rows: rows.length, cut };
}

/** Records a browser-side export in the server's audit log; throws when refused. */
export async function logExport(notebookId: string, record: { cell: string; format: AuditedFormat; rows: number }) {
  const response = await fetch(`/notebooks/${encodeURIComponent(notebookId)}/export-log`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(record),
  });
  if (!response.ok) throw new Error((await response.text()) || `the server answered ${response.status}`);
}

/** Offers the file as a download (an object URL on a temporary link). */
export function saveFile(file: ExportedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = file.fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The cell's SQL for sharing, with the values it was run with in a comment block above it. The values are JSON (so a
 * newline or `*​/` in a value cannot end the comment early: every line starts with `--`), and the SQL keeps `$name`:
 * values are never spliced, not even into a copy.
 */
export function sqlWithParameterComment(sql: string, used: readonly string[], params: Record<string, ParamValue>): string {
  if (used.length === 0) return sql;
  const lines = ["-- Parameter values (bound as $name when the query runs; not part of the SQL):"];
  for (const name of used) {
    const value = Object.hasOwn(params, name) ? JSON.stringify(params[name]) : "(no value)";
    lines.push(`--   $${name} = ${value.replace(/[\r\n\u2028\u2029]/g, " ")}`);
  }
  return `${lines.join("\n")}\n${sql}`;
}
