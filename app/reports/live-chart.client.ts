/**
 * Turns a report's chart tile into a live Vega view (tooltips, hover) once the reader's browser has scripts: the stored
 * spec and rows come from the tile's JSON route, and the chart is drawn by the same checked client renderer as the
 * notebook (app/charts/render-client.ts: validated again here, AST interpreter, no loader, SVG renderer). Loaded with a
 * dynamic import only when a chart scrolls into view, so Vega is never part of the page's first load.
 */
import { renderChart } from "../charts/render-client.ts";

export interface LiveChart {
  finalize(): void;
}

export async function mountLiveChart(target: HTMLElement, dataHref: string, signal: AbortSignal): Promise<LiveChart> {
  const response = await fetch(dataHref, { credentials: "same-origin", headers: { Accept: "application/json" }, signal });
  if (!response.ok) throw new Error(`chart data ${dataHref}: ${response.status} ${response.statusText}`);
  const { spec, rows } = (await response.json()) as { spec: object; rows: object[] };
  if (signal.aborted) throw new Error("chart no longer shown");
  const rendered = await renderChart(target, spec, rows);
  if (!rendered.ok) throw new Error(`chart: ${rendered.problems.map((p) => p.message).join("; ")}`);
  return { finalize: rendered.finalize };
}
