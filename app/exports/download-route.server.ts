/**
 * GET /notebooks/:id/export/:ticket — the streamed download of a ticket (tickets.server.ts). An Express handler, not a
 * Remix route: Remix copies a Response body to the socket without waiting for it to drain, so a slow client would
 * make the server hold the whole file; here the exporters write through `Writable.toWeb(res)`, whose backpressure
 * pauses DuckDB's streaming result until the client has taken the bytes.
 *
 * Refusals: no session → 401; a ticket unknown, used, expired, or another user's/session's/notebook's → 404 (nothing
 * tells them apart); the user no longer reads the notebook or a dataset → 403. The audit entry (`export`, where
 * "server-stream") is written when the stream ends: complete with rows and bytes, or aborted/failed with the rows sent.
 */
import { Writable } from "node:stream";
import type { Request, Response } from "express";
import { fileNameFor } from "../../kernel/exporters/file-name.ts";
import type { RequestAuth } from "../auth/session-middleware.server.ts";
import type { Services } from "../services.server.ts";
import { datasetFilesFor } from "./cell-plan.server.ts";
import { contentDisposition } from "./content-disposition.server.ts";
import { ExportRefused } from "./native-export.server.ts";
import { streamExport } from "./stream-export.server.ts";
import { EXTENSIONS } from "./ticket-request.server.ts";

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  "csv-bom": "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  parquet: "application/vnd.apache.parquet",
} as const;

type DownloadServices = Pick<Services, "database" | "catalog" | "notebooks" | "audit" | "exportTickets">;

function refuse(res: Response, status: number, text: string) {
  res.status(status).set("Cache-Control", "no-store").type("text/plain").send(text);
}

export function exportDownloadRoute(services: DownloadServices) {
  return async (req: Request, res: Response) => {
    // Express answers HEAD with GET handlers: a HEAD must not use the ticket up or run the query.
    if (req.method !== "GET") return refuse(res, 405, "Download exports with GET.");
    const auth = res.locals.auth as RequestAuth | undefined;
    if (!auth?.user || !auth.sessionId) return refuse(res, 401, "Sign in to download exports.");
    const user = auth.user;
    const { id: notebookId, ticket } = req.params as { id: string; ticket: string };
    const role = services.notebooks.roleOf(user, notebookId);
    const notebook = role ? services.notebooks.get(notebookId) : undefined;
    if (!role || !notebook) return refuse(res, 403, "You do not have access to this notebook.");
    const plan = services.exportTickets.take(ticket, { userId: user.id, sessionId: auth.sessionId }, notebookId);
    if (!plan) return refuse(res, 404, "This download link has expired or was already used: export again from the notebook.");

    let resolved: Awaited<ReturnType<typeof datasetFilesFor>>;
    try {
      resolved = await datasetFilesFor(services, user, plan.datasets);
    } catch (error) {
      if (error instanceof ExportRefused) return refuse(res, error.status, error.message);
      throw error;
    }
    const audit = (detail: Record<string, unknown>) =>
      services.audit.record({
        actor: user,
        action: "export",
        target: notebookId,
        detail: {
          cell: plan.cellName,
          cellId: plan.cellId,
          format: plan.format,
          where: "server-stream",
          datasets: Object.keys(resolved.files),
          ...(Object.keys(resolved.restricted).length ? { restricted: resolved.restricted } : {}),
          ...detail,
        },
        ip: req.ip ?? req.socket.remoteAddress ?? null,
      });

    res.status(200).set({
      "Content-Type": CONTENT_TYPES[plan.format],
      "Content-Disposition": contentDisposition(fileNameFor(notebook.title, plan.cellName, EXTENSIONS[plan.format])),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    });
    const aborted = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    let rows = 0;
    try {
      const summary = await streamExport(
        {
          sql: plan.sql,
          params: plan.params,
          datasets: resolved.files,
          format: plan.format,
          sheetName: plan.cellName,
          signal: aborted.signal,
          onProgress: (n) => {
            rows = n;
          },
        },
        Writable.toWeb(res) as WritableStream<Uint8Array>,
      );
      audit({ outcome: "complete", rows: summary.rows, bytes: summary.bytes });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (aborted.signal.aborted) {
        audit({ outcome: "aborted", rows });
        return;
      }
      audit({ outcome: "failed", rows, error: text });
      // Before the first byte the client still gets a status and the reason; after it, only a cut connection.
      if (!res.headersSent) refuse(res, error instanceof ExportRefused ? error.status : 500, text);
      else res.destroy();
      if (!(error instanceof ExportRefused))
        console.error(`export of notebook ${notebookId} cell ${plan.cellId} failed: ${text}`);
    }
  };
}
