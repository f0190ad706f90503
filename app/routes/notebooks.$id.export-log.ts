import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireNotebook } from "~/notebooks/access.server";

/**
 * POST /notebooks/:id/export-log — the audit record of an export made in the browser (CSV, XLSX, JSON, TSV copy, chart PNG/SVG):
 * who (the session's user), which notebook and cell, the format and the row count. Only signed-in readers of the
 * notebook may write one (anonymous → sign-in, others → 403, like the notebook itself). The page posts it before
 * offering the file, so a refusal here means no download.
 */
const recordSchema = z.object({
  cell: z.string().min(1).max(200),
  // png and svg: a chart cell's image (its rows are the chart's data rows).
  format: z.enum(["csv", "csv-bom", "xlsx", "json", "tsv", "png", "svg"]),
  rows: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = requireNotebook(request, context, params.id ?? "", "read");
  if (request.method !== "POST") return plain(405, "Record an export with POST.");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return plain(400, "The export record must be JSON: {cell, format, rows}.");
  }
  const parsed = recordSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return plain(400, `Export record: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  context.services.audit.record({
    actor: access.user,
    action: "export",
    target: access.notebook.id,
    detail: { ...parsed.data, where: "browser" },
    ip: context.clientIp,
  });
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}

export function loader({ request, params, context }: LoaderFunctionArgs) {
  requireNotebook(request, context, params.id ?? "", "read");
  return plain(405, "Record an export with POST.");
}
