/**
 * POST /notebooks/:id/export-tickets — a one-time download ticket for a cell's full result, streamed by the server
 * (tickets.server.ts, docs/decisions/0012-streamed-exports.md). Body: {cellId, format, params}. Readers of the
 * notebook may ask (the people who can run its cells in their browser). The SQL is the stored notebook's, checked here
 * by a bound LIMIT 0 run over the user's dataset files, so a broken cell is reported to the page (400 with DuckDB's
 * message) and not as a failed download. Answers 201 {url, fileName, expiresAt, columns}.
 */
import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { fileNameFor } from "../../kernel/exporters/file-name.ts";
import { requireNotebook } from "../notebooks/access.server.ts";
import { datasetFilesFor, planCellExport } from "./cell-plan.server.ts";
import { ExportRefused } from "./native-export.server.ts";
import { exportParamsSchema } from "./request.server.ts";
import { probeExport } from "./stream-export.server.ts";

export const STREAM_FORMATS = ["csv", "csv-bom", "json", "xlsx", "parquet"] as const;
export const EXTENSIONS = { csv: "csv", "csv-bom": "csv", json: "json", xlsx: "xlsx", parquet: "parquet" } as const;

const ticketRequestSchema = z.object({
  cellId: z.string().min(1).max(200),
  format: z.enum(STREAM_FORMATS),
  params: exportParamsSchema,
});

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

export async function issueExportTicket(request: Request, context: AppLoadContext, notebookId: string): Promise<Response> {
  const access = requireNotebook(request, context, notebookId, "read");
  if (request.method !== "POST") return plain(405, "Ask for an export ticket with POST.");
  const sessionId = context.auth.sessionId;
  if (!sessionId) return plain(401, "Sign in to export.");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return plain(400, "The export ticket request must be JSON: {cellId, format, params}.");
  }
  const parsed = ticketRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return plain(400, `Export ticket request: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const { cellId, format, params } = parsed.data;
  const { services } = context;
  try {
    const plan = await planCellExport(services, access.user, notebookId, cellId);
    const { files } = await datasetFilesFor(services, access.user, plan.datasets);
    const columns = await probeExport({ sql: plan.sql, params, datasets: files });
    const issued = services.exportTickets.issue(
      { userId: access.user.id, sessionId },
      { notebookId, cellId, cellName: plan.cellName, sql: plan.sql, params, datasets: plan.datasets, format },
    );
    return new Response(
      JSON.stringify({
        url: `/notebooks/${encodeURIComponent(notebookId)}/export/${issued.ticket}`,
        fileName: fileNameFor(access.notebook.title, plan.cellName, EXTENSIONS[format]),
        expiresAt: new Date(issued.expiresAt).toISOString(),
        columns,
      }),
      { status: 201, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof ExportRefused) return plain(error.status, error.message);
    throw error;
  }
}
