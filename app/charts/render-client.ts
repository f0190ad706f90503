import type { View } from "vega";
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";
import { CHART_LIMITS, injectRows, refusingLoader, rowLimitProblem, type SpecProblem } from "./limits.ts";
import type { JsonSchema } from "./schema-check.ts";
import { validateSpec } from "./validate.ts";

/**
 * Browser rendering for chart cells and interactive report tiles. The spec is validated and compiled here, and vega-embed
 * receives the checked *Vega* spec (mode "vega"), so what runs is what was checked. SVG renderer, Vega's AST
 * interpreter (the pages' CSP forbids 'unsafe-eval'), a loader that refuses every network load, no actions menu (its
 * "open in editor" posts the spec to another site). No React here: the chart cell component owns the element.
 */

export type ClientRender =
  | { ok: true; view: View; finalize: () => void; warnings: string[] }
  | { ok: false; problems: SpecProblem[] };

export interface ClientRenderOptions {
  /** Run the JSON-schema step too (the spec tab does; report tiles were validated when published). */
  schema?: JsonSchema;
  maxRows?: number;
}

export async function renderChart(
  element: HTMLElement,
  spec: string | object,
  rows: readonly object[],
  options: ClientRenderOptions = {},
): Promise<ClientRender> {
  const tooMany = rowLimitProblem(rows, options.maxRows ?? CHART_LIMITS.resultRows);
  if (tooMany) return { ok: false, problems: [tooMany] };
  const checked = await validateSpec(spec, { schema: options.schema });
  if (!checked.ok) return checked;
  try {
    const result = await embed(element, injectRows(checked.vega as never, rows), {
      mode: "vega",
      renderer: "svg",
      actions: false,
      ast: true,
      expr: expressionInterpreter,
      loader: refusingLoader() as never,
      tooltip: true,
      logLevel: 0,
    });
    return { ok: true, view: result.view, finalize: () => result.finalize(), warnings: checked.warnings };
  } catch (error) {
    return { ok: false, problems: [{ message: `chart: ${(error as Error).message}` }] };
  }
}

/** A URL (data: for PNG, blob:/data: for SVG) of the chart as PNG or SVG, for the cell's export buttons (Vega draws it again from the view's scene). */
export async function exportChart(view: View, format: "png" | "svg", scaleFactor = 2): Promise<string> {
  return view.toImageURL(format, format === "png" ? scaleFactor : 1);
}

/** Triggers a download of an exported chart; `name` is the file name without extension. */
export async function downloadChart(view: View, format: "png" | "svg", name: string): Promise<void> {
  const url = await exportChart(view, format);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${name.replace(/[^\w.-]+/g, "_") || "chart"}.${format}`;
  link.click();
}
