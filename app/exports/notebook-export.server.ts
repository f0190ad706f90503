/**
 * POST /notebooks/:id/export: who may export, which dataset files the SQL may read, the file name, the audit entry.
 * Readers of the notebook may export (the same people who can run its cells in their browser); datasets resolve to
 * their current version files (or the reader's slice of them, app/access), as the notebook page attaches them.
 */
import type { AppLoadContext } from "@remix-run/node";
import { fileNameFor } from "../../kernel/exporters/file-name.ts";
import { readableFile } from "../access/dataset-files.server.ts";
import { checkLinkedSql } from "../library/linked-cells.server.ts";
import { requireNotebook } from "../notebooks/access.server.ts";
import { contentDisposition } from "./content-disposition.server.ts";
import { ExportRefused, runNativeExport } from "./native-export.server.ts";
import { parseExportRequest } from "./request.server.ts";

const CONTENT_TYPES = { parquet: "application/vnd.apache.parquet", csv: "text/csv; charset=utf-8" } as const;

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

export async function exportNotebookCell(request: Request, context: AppLoadContext, notebookId: string): Promise<Response> {
  const access = requireNotebook(request, context, notebookId, "read");
  if (request.method !== "POST") return plain(405, "Export with POST.");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return plain(400, "The export request must be JSON: {cell, sql, params, datasets, format}.");
  }
  const parsed = parseExportRequest(body);
  if (!parsed.ok) return plain(400, `Export request: ${parsed.message}`);
  const { cell, sql, params, format } = parsed.value;
  const { catalog, audit, library } = context.services;
  // Linked cells (query library) among the exported SQL: checked with the EXPORTER's visibility of each query.
  const linkProblem = checkLinkedSql(library, access.user, sql, (body as { links?: unknown }).links);
  if (linkProblem) return plain(403, `Export refused: ${linkProblem}`);

  const files: Record<string, string> = {};
  const restricted: Record<string, string[]> = {};
  for (const slug of new Set(parsed.value.datasets)) {
    const dataset = catalog.bySlug(slug);
    const version = dataset?.currentVersion ? catalog.version(dataset.id, dataset.currentVersion) : undefined;
    if (!dataset || !version) return plain(400, `Dataset \`${slug}\` has no published version to export from.`);
    // The same rows the reader's browser attached: a restricted reader's export re-runs on their slice file.
    const file = await readableFile(context.services, access.user, dataset, version);
    if (!file.allowed) return plain(403, `You have no read access to dataset \`${slug}\`.`);
    files[slug] = file.filePath;
    if (file.locationPaths) restricted[slug] = file.locationPaths;
  }

  const record = (detail: Record<string, unknown>) =>
    audit.record({
      actor: access.user,
      action: "export",
      target: notebookId,
      detail: {
        cell,
        format,
        datasets: Object.keys(files),
        ...(Object.keys(restricted).length ? { restricted } : {}),
        ...detail,
      },
      ip: context.clientIp,
    });
  try {
    const result = await runNativeExport({ sql, params, datasets: files, format });
    record({ rows: result.rows, bytes: result.bytes });
    return new Response(result.body, {
      headers: {
        "Content-Type": CONTENT_TYPES[format],
        "Content-Length": String(result.bytes),
        "Content-Disposition": contentDisposition(fileNameFor(access.notebook.title, cell, format)),
        "Cache-Control": "private, no-store",
        "X-Export-Rows": String(result.rows),
      },
    });
  } catch (error) {
    if (error instanceof ExportRefused) {
      record({ rows: 0, refused: error.message });
      return plain(400, error.message);
    }
    throw error;
  }
}
