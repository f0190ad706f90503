import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReportVersion, variantTiles } from "~/reports/page.server";

/**
 * GET /r/:reportId/tile/:tileId.json[?v=n][&token=…][&<input>=<value>] — a chart tile's stored spec and rows for the
 * page's interactive chart (app/reports/InteractiveChart.tsx), with the page's access rules. Anonymous readers without
 * a valid link get 401 (a script asks, not a person), others outside the visibility 403.
 */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const v = search.get("v");
  const version = v === null ? undefined : Number.parseInt(v, 10);
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) {
    throw new Response("No such report version.", { status: 404 });
  }
  let access: ReturnType<typeof requireReportVersion>;
  try {
    access = requireReportVersion(request, context, params.reportId ?? "", version);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status >= 300 && thrown.status < 400) {
      throw new Response("Sign in to read this report.", { status: 401 });
    }
    throw thrown;
  }
  const tile = variantTiles(access.version, search).tiles.find((t) => t.id === params.tileId);
  if (!tile || tile.kind !== "chart" || tile.error) {
    throw new Response(`Report tile '${params.tileId}' is not a chart.`, { status: 404 });
  }
  // A map draws its features (boundaries inlined at publish), not the table's rows.
  return new Response(JSON.stringify({ spec: tile.spec, columns: tile.columns, rows: tile.chartData ?? tile.rows }), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
