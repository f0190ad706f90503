import { parse as parseVega, type Spec as VegaSpec } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { CHART_DATA_NAME, CHART_LIMITS, type SpecProblem } from "./limits.ts";
import { checkRuntimeExpressions, checkSpecPolicy, checkVegaPolicy } from "./policy.ts";
import { checkSchema, type JsonSchema } from "./schema-check.ts";

/**
 * Validation of a chart spec (the chart cell's "spec" tab, and every spec before it is rendered): size, JSON syntax with
 * line and column, the Vega-Lite JSON schema, the security policy (policy.ts), then compilation to Vega and Vega's own
 * parse with `ast: true` so every expression is checked in the form it will run. The result carries the compiled Vega
 * spec: renderers draw exactly what was checked (never re-compiling, so a `$schema` trick cannot switch languages).
 */

export type SpecCheck =
  | { ok: true; spec: TopLevelSpec; vega: VegaSpec; warnings: string[] }
  | { ok: false; problems: SpecProblem[] };

export interface ValidateOptions {
  /** Vega-Lite's JSON schema; without it the schema step is skipped (the browser loads it lazily: it is 1.8 MB). */
  schema?: JsonSchema;
  /** Width used when the spec asks for "container" width and there is no container (server rendering). */
  containerWidth?: number;
}

let schemaPromise: Promise<JsonSchema> | null = null;

/** Vega-Lite's own schema (vega-lite ships it), loaded once and on demand. */
export function loadVegaLiteSchema(): Promise<JsonSchema> {
  schemaPromise ??= import("vega-lite/vega-lite-schema.json", { with: { type: "json" } }).then((m) => m.default as JsonSchema);
  return schemaPromise;
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** Parses the spec tab's text; syntax errors carry 1-based line and column. */
export function parseSpecText(text: string): { ok: true; value: unknown } | { ok: false; problems: SpecProblem[] } {
  const bytes = byteLength(text);
  if (bytes > CHART_LIMITS.specBytes) {
    return {
      ok: false,
      problems: [
        {
          message: `spec: ${Math.ceil(bytes / 1000)} KB is more than the ${CHART_LIMITS.specBytes / 1000} KB allowed; keep data in the SQL cell`,
        },
      ],
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    const position = /position (\d+)/.exec(message);
    let line: number;
    let column: number;
    if (lineColumn) {
      line = Number(lineColumn[1]);
      column = Number(lineColumn[2]);
    } else {
      const offset = position ? Number(position[1]) : text.length;
      const before = text.slice(0, offset).split("\n");
      line = before.length;
      column = before[before.length - 1].length + 1;
    }
    const reason = message
      .replace(/^JSON\.parse: /, "")
      .replace(/ in JSON at position \d+.*$/, "")
      .replace(/ at line \d+ column \d+.*$/, "");
    return { ok: false, problems: [{ message: `spec, line ${line}, column ${column}: ${reason}`, line, column }] };
  }
}

/** Validates spec text or an already parsed spec (a builder's output goes through the same checks). */
export async function validateSpec(input: string | object, options: ValidateOptions = {}): Promise<SpecCheck> {
  let value: unknown;
  if (typeof input === "string") {
    const parsed = parseSpecText(input);
    if (!parsed.ok) return parsed;
    value = parsed.value;
  } else {
    const bytes = byteLength(JSON.stringify(input) ?? "");
    if (bytes > CHART_LIMITS.specBytes)
      return {
        ok: false,
        problems: [
          { message: `spec: ${Math.ceil(bytes / 1000)} KB is more than the ${CHART_LIMITS.specBytes / 1000} KB allowed` },
        ],
      };
    // A JSON round trip: what is checked is plain data (no undefined keys, getters or prototypes), as if typed in.
    value = JSON.parse(JSON.stringify(input));
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { ok: false, problems: [{ message: "spec: must be a JSON object" }] };

  const policy = checkSpecPolicy(value);
  if (policy.length > 0) return { ok: false, problems: policy };

  const spec = withResultData(value as Record<string, unknown>, options.containerWidth);
  if (options.schema) {
    const error = checkSchema(options.schema, spec);
    if (error)
      return {
        ok: false,
        problems: [{ path: error.path, message: `${error.path || "spec"}: ${error.message} (Vega-Lite schema)` }],
      };
  }
  return compileChecked(spec as unknown as TopLevelSpec);
}

/** Compiles to Vega and checks the result; used by validateSpec and, without schema, by the renderers. */
export function compileChecked(spec: TopLevelSpec): SpecCheck {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  let vega: VegaSpec;
  try {
    vega = compile(spec, { logger }).spec;
  } catch (error) {
    return { ok: false, problems: [{ message: `spec: Vega-Lite cannot compile it: ${errorText(error)}` }] };
  }
  const vegaProblems = checkVegaPolicy(vega);
  if (vegaProblems.length > 0) return { ok: false, problems: vegaProblems };
  let runtime: unknown;
  try {
    runtime = parseVega(vega, undefined, { ast: true });
  } catch (error) {
    return { ok: false, problems: [{ message: `spec: Vega refuses it: ${errorText(error)}` }] };
  }
  const expressionProblems = checkRuntimeExpressions(runtime);
  if (expressionProblems.length > 0) return { ok: false, problems: expressionProblems };
  return { ok: true, spec, vega, warnings };
}

/** Charts without data read the cell result; "container" width becomes a number where there is no container. */
function withResultData(spec: Record<string, unknown>, containerWidth?: number): Record<string, unknown> {
  const out = { ...spec };
  if (!("data" in out)) out.data = { name: CHART_DATA_NAME };
  if (containerWidth !== undefined && out.width === "container") out.width = containerWidth;
  if (containerWidth !== undefined && out.height === "container") out.height = Math.round(containerWidth / 2);
  return out;
}

function collectingLogger(warnings: string[]) {
  const logger = {
    level: (_?: number) => (_ === undefined ? 2 : logger),
    error: (...args: unknown[]) => {
      throw new Error(args.map(String).join(" "));
    },
    warn: (...args: unknown[]) => {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger as never;
}

/** Vega-Lite sometimes throws plain strings. */
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
