/**
 * Exports of one SQL cell's FULL result (the engine's `stream()` over the cell's view, not the displayed rows).
 *
 * - CSV (optionally with a BOM for Excel), XLSX and JSON are written in the browser by kernel/exporters. The bytes are
 *   collected as chunks into a Blob and handed to the browser's download: the text never forms one big string, but the
 *   file's bytes are held by the Blob (a tab has no streaming save without a file picker); Parquet is the way out for
 *   results too big for that.
 * - Parquet is written on the server (POST /notebooks/:id/export) by native DuckDB. That route cannot read other cells
 *   by name, so the cell's upstream cells are inlined as CTEs, in run order (`selfContainedSql`); values stay bound.
 * - Every export is audited on the server: browser exports POST a small record (cell, format, rows) to
 *   /notebooks/:id/export-log BEFORE the file is offered, so a refused audit means no file.
 */
import type { Engine, NotebookGraph, ParamValue } from "../../../kernel/index.ts";

export type BrowserFormat = "csv" | "csv-bom" | "xlsx" | "json";
export type AuditedFormat = BrowserFormat | "tsv";

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
  const source = engine.stream(`SELECT * FROM ${quote(cellName)}`);
  const summary =
    format === "xlsx"
      ? await exportXlsx(source, sink, { mode: "buffer", sheetName: cellName })
      : format === "json"
        ? await exportJson(source, sink)
        : await exportCsv(source, sink, { bom: format === "csv-bom" });
  return {
    blob: new Blob(chunks as BlobPart[], { type: MIME[format] }),
    fileName: fileNameFor(notebookTitle, cellName, EXTENSION[format]),
    rows: summary.rows,
  };
}

/** The full result as TSV for the clipboard (at most TSV_MAX_ROWS rows). */
export async function resultAsTsv(engine: Engine, cellName: string): Promise<{ text: string; rows: number; cut: boolean }> {
  const { toTsv } = await import("../../../kernel/exporters/index.ts");
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
  return { text: toTsv(columns, rows), rows: rows.length, cut };
}

/** Strips trailing semicolons; the closing paren goes on its own line so a trailing `-- comment` cannot eat it. */
function body(sql: string): string {
  return sql.replace(/[\s;]+$/, "");
}

/**
 * The cell's SQL with every cell it reads, directly or not, inlined as a CTE under its name, in run order:
 * `WITH "a" AS (…), "b" AS (…) SELECT * FROM (<cell>)`. The cell's own SQL goes in a subquery so that it may itself
 * start with WITH. Parameters stay `$name` and are bound by the server.
 */
export function selfContainedSql(
  cellId: string,
  cells: readonly { id: string; name: string; source: string }[],
  graph: Pick<NotebookGraph, "dependsOn" | "order"> | null,
): string {
  const cell = cells.find((c) => c.id === cellId);
  if (!cell) throw new Error(`no cell with id ${cellId}`);
  const needed = new Set<string>();
  const stack = [...(graph?.dependsOn.get(cellId) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (needed.has(id) || id === cellId) continue;
    needed.add(id);
    stack.push(...(graph?.dependsOn.get(id) ?? []));
  }
  if (needed.size === 0) return body(cell.source);
  const order = graph?.order ?? [];
  const upstream = [...needed].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const ctes = upstream.map((id) => {
    const up = cells.find((c) => c.id === id);
    if (!up) throw new Error(`the cell reads a cell that no longer exists (${id})`);
    return `${quote(up.name)} AS (\n${body(up.source)}\n)`;
  });
  return `WITH ${ctes.join(",\n")}\nSELECT * FROM (\n${body(cell.source)}\n)`;
}

/** The dataset slugs the SQL reads (what the server must attach). */
export async function datasetsRead(engine: Engine, sql: string, known: readonly string[]): Promise<string[]> {
  try {
    const tables = await engine.parseTables(sql);
    const slugs = new Set(tables.map((t) => t.schema).filter((s): s is string => s !== null && known.includes(s)));
    return [...slugs];
  } catch {
    return [...known];
  }
}

export async function exportParquet(
  notebookId: string,
  request: { cell: string; sql: string; params: Record<string, ParamValue>; datasets: string[] },
  fallbackName: string,
): Promise<ExportedFile> {
  const response = await fetch(`/notebooks/${encodeURIComponent(notebookId)}/export`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...request, format: "parquet" }),
  });
  if (!response.ok) throw new Error((await response.text()) || `the server answered ${response.status}`);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  const fileName = star ? decodeURIComponent(star[1]) : (plain?.[1] ?? fallbackName);
  return { blob: await response.blob(), fileName, rows: Number(response.headers.get("X-Export-Rows") ?? 0) };
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
