import { parse as parseVega, type Spec as VegaSpec, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { CHART_LIMITS, injectRows, refusingLoader, rowLimitProblem, type SpecProblem } from "./limits.ts";
import { sanitizeSvg } from "./sanitize-svg.ts";
import { loadVegaLiteSchema, validateSpec } from "./validate.ts";

/**
 * Server-side SVG for published reports (DESIGN.md decision 8): validate (schema + policy), compile, then a headless Vega
 * View with the AST interpreter (no `new Function`, same evaluator as the CSP-bound browser), a loader that refuses every
 * load, and the output passed through a strict SVG allowlist.
 *
 * The timeout is soft: Vega evaluates a pulse synchronously, so a timeout can only abandon the render between
 * asynchronous steps. What bounds the work is the input: result rows (CHART_LIMITS.resultRows), spec size, inline rows and
 * generator sizes (policy.ts), and Vega's expression language having no loops. A hard stop needs a worker thread.
 */

export interface RenderOptions {
  /** Width for specs that ask for the container's width (reports lay tiles out at a known size). */
  width?: number;
  timeoutMs?: number;
  maxRows?: number;
}

export type RenderResult = { ok: true; svg: string; warnings: string[] } | { ok: false; problems: SpecProblem[] };

export async function renderChartSvg(
  spec: string | object,
  rows: readonly object[],
  options: RenderOptions = {},
): Promise<RenderResult> {
  const tooMany = rowLimitProblem(rows, options.maxRows ?? CHART_LIMITS.resultRows);
  if (tooMany) return { ok: false, problems: [tooMany] };
  const checked = await validateSpec(spec, { schema: await loadVegaLiteSchema(), containerWidth: options.width ?? 640 });
  if (!checked.ok) return checked;
  try {
    const svg = await renderVegaSvg(checked.vega, rows, options.timeoutMs ?? CHART_LIMITS.renderMs);
    return { ok: true, svg, warnings: checked.warnings };
  } catch (error) {
    return { ok: false, problems: [{ message: `chart: ${(error as Error).message}` }] };
  }
}

/**
 * Renders an already checked Vega spec. Kept separate so tests can show the runtime guards (loader, interpreter,
 * sanitizer) hold on their own, without validation in front of them.
 */
export async function renderVegaSvg(
  vegaSpec: VegaSpec,
  rows: readonly object[],
  timeoutMs: number = CHART_LIMITS.renderMs,
): Promise<string> {
  const runtime = parseVega(injectRows(vegaSpec as never, rows), undefined, { ast: true });
  const refusals: string[] = [];
  const view = new View(runtime, {
    renderer: "none",
    expr: expressionInterpreter,
    loader: refusingLoader((message) => refusals.push(message)) as never,
    logLevel: 0,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rendering took longer than ${timeoutMs} ms and was stopped`)), timeoutMs);
    });
    const svg = await Promise.race([view.runAsync().then(() => view.toSVG()), timeout]);
    if (refusals.length > 0) throw new Error(refusals[0]);
    return sanitizeSvg(svg);
  } finally {
    clearTimeout(timer);
    view.finalize();
  }
}
