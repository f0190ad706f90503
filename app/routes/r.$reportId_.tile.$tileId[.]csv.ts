import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentDisposition } from "~/exports/content-disposition.server";
import { toCsv } from "~/reports/csv";
import { requireReportVersion, variantTiles } from "~/reports/page.server";
import { hasRows } from "~/reports/tiles";

/**
 * GET /r/:reportId/tile/:tileId.csv[?v=n][&token=…][&<input>=<value>] — a tile's stored rows as CSV (of the variant
 * shown), with the page's access rules.
 */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const v = search.get("v");
  const version = v === null ? undefined : Number.parseInt(v, 10);
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) {
    throw new Response("No such report version.", { status: 404 });
  }
  const access = requireReportVersion(request, context, params.reportId ?? "", version);
  const tile = variantTiles(access.version, search).tiles.find((t) => t.id === params.tileId);
  if (!tile || !hasRows(tile)) throw new Response(`Report tile '${params.tileId}' has no table to download.`, { status: 404 });
  const name = `${access.report.title}-${tile.title || tile.id}.csv`.replace(/[^\p{L}\p{N}._ -]+/gu, "_");
  return new Response(toCsv(tile.columns, tile.rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(name),
      "Cache-Control": "private, no-store",
      "X-Total-Rows": String(tile.totalRows),
    },
  });
}
