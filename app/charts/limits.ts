/**
 * Limits and the pieces both renderers share. Charts take their data only from the cell result, handed over as the named
 * data set `result`; nothing is ever loaded from a URL or a file.
 */

export const CHART_DATA_NAME = "result";

export const CHART_LIMITS = {
  /** The spec tab's text (a spec is a description, not a data carrier). */
  specBytes: 100_000,
  /** Rows written inline in the spec (`data.values`, `datasets`): enough for a lookup table, not for a result. */
  inlineRows: 1_000,
  /** Rows of the cell result a chart renders; bigger results should be aggregated in SQL first. */
  resultRows: 100_000,
  /** Rows a generator (`sequence`, impute `keyvals`, density `steps`) may create. */
  generatedRows: 10_000,
  /** Server rendering budget; see render-server.ts for why it is a soft limit. */
  renderMs: 5_000,
} as const;

export interface SpecProblem {
  /** What is wrong, naming the thing ("data.url is refused: …"). */
  message: string;
  /** JSON path in the spec (`layer[1].encoding.href`), when known. */
  path?: string;
  /** 1-based position in the spec text, for JSON syntax errors. */
  line?: number;
  column?: number;
}

/**
 * A Vega loader that refuses every load, sanitize (image and link URLs) and file read: charts reach nothing outside.
 * Vega logs a failed load and draws on with empty data, so refusals are also reported to `onRefuse` for the caller to
 * turn into an error the analyst sees.
 */
export function refusingLoader(onRefuse?: (message: string) => void) {
  const refuse = async (uri: unknown): Promise<never> => {
    const message = `chart loader: loading ${JSON.stringify(String(uri)).slice(0, 120)} is refused (charts use only the cell result)`;
    onRefuse?.(message);
    throw new Error(message);
  };
  // Vega's renderers do not expect sanitize to fail (a rejected link sanitize becomes an unhandled TypeError), so it
  // answers with an inert target instead: "" for images (Vega then skips the image) and "#" for links.
  const sanitize = async (uri: unknown, options?: { context?: string }) => {
    onRefuse?.(
      `chart loader: the ${options?.context === "href" ? "link" : "resource"} ${JSON.stringify(String(uri)).slice(0, 120)} is refused`,
    );
    return { href: options?.context === "href" ? "#" : "" };
  };
  return {
    options: {},
    load: refuse,
    sanitize,
    http: refuse,
    file: refuse,
    fileAccess: false,
  };
}

/** Copies the result into the compiled Vega spec's `result` data set (copies rows: Vega tags the objects it ingests). */
export function injectRows<S extends { data?: Array<Record<string, unknown>> }>(vegaSpec: S, rows: readonly object[]): S {
  const data = (vegaSpec.data ?? []).map((d) => (d.name === CHART_DATA_NAME ? { ...d, values: rows.map((r) => ({ ...r })) } : d));
  return { ...vegaSpec, data };
}

export function rowLimitProblem(rows: readonly unknown[], limit: number = CHART_LIMITS.resultRows): SpecProblem | null {
  if (rows.length <= limit) return null;
  return {
    message: `chart data: ${rows.length.toLocaleString("en")} rows is more than the ${limit.toLocaleString("en")} a chart renders; aggregate in the SQL cell first`,
  };
}
