/** DuckDB errors turned into `{ message, position? }`, positions being character offsets into the SQL the user wrote. */

export type EngineErrorKind = "sql" | "cancelled" | "crashed" | "closed" | "input";

export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  /** Character offset (0-based) into the user's SQL, when DuckDB reported one. */
  readonly position: number | undefined;
  constructor(message: string, kind: EngineErrorKind = "sql", position?: number) {
    super(message);
    this.name = "EngineError";
    this.kind = kind;
    this.position = position;
  }
  toJSON(): { message: string; position?: number; kind: EngineErrorKind } {
    return this.position === undefined
      ? { message: this.message, kind: this.kind }
      : { message: this.message, position: this.position, kind: this.kind };
  }
}

export interface ParsedDuckDBError {
  message: string;
  position?: number;
}

/**
 * Reads a DuckDB error as thrown by DuckDB-WASM. Two shapes exist: JSON (`{"exception_type", "exception_message",
 * "position"}`, from getTableNames) and text ("Binder Error: …\n\nLINE 1: select foo from t\n               ^").
 * `executed` is the SQL text DuckDB saw: the caret's line is located in it to turn it into an offset.
 */
export function parseDuckDBError(error: unknown, executed: string): ParsedDuckDBError {
  const raw = error instanceof Error ? error.message : String(error);
  const json = tryJson(raw);
  if (json) {
    const type = typeof json.exception_type === "string" ? json.exception_type : "";
    const text = typeof json.exception_message === "string" ? json.exception_message : raw;
    const message = type ? `${type} Error: ${text}` : text;
    const position = json.position === undefined ? undefined : Number(json.position);
    return Number.isFinite(position) ? { message, position } : { message };
  }
  const lineMarker = raw.indexOf("\n\nLINE ");
  if (lineMarker < 0) {
    // DuckDB omits the caret for "syntax error at end of input": the position is the end of the text.
    if (raw.includes("syntax error at end of input")) return { message: raw.trim(), position: executed.trimEnd().length };
    return { message: raw.trim() };
  }
  const message = raw.slice(0, lineMarker).trim();
  const position = caretPosition(raw.slice(lineMarker + 2), executed);
  return position === undefined ? { message } : { message, position };
}

function tryJson(text: string): Record<string, unknown> | null {
  if (!text.startsWith("{")) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** "LINE 3: …some context...\n            ^" → offset in `executed`. DuckDB elides long lines with "...". */
function caretPosition(block: string, executed: string): number | undefined {
  const [contextLine, caretLine] = block.split("\n");
  if (contextLine === undefined || caretLine === undefined) return undefined;
  const colon = contextLine.indexOf(": ");
  const lineNumber = Number(contextLine.slice(5, colon));
  if (colon < 0 || !Number.isInteger(lineNumber)) return undefined;
  const caret = caretLine.indexOf("^");
  if (caret < 0) return undefined;
  let shown = contextLine.slice(colon + 2);
  let column = caret - (colon + 2);
  const lines = executed.split("\n");
  const source = lines[lineNumber - 1];
  if (source === undefined) return undefined;
  if (shown.startsWith("...")) {
    shown = shown.slice(3);
    column -= 3;
    if (shown.endsWith("...")) shown = shown.slice(0, -3);
    const start = source.indexOf(shown);
    if (start < 0) return undefined;
    column += start;
  }
  let offset = 0;
  for (let i = 0; i < lineNumber - 1; i++) offset += lines[i].length + 1;
  return offset + Math.max(0, Math.min(column, source.length));
}

/** Maps an error position in executed text back to the user's SQL (prefix added, rewrites applied), or drops it. */
export function relocate(parsed: ParsedDuckDBError, toSource: (executedOffset: number) => number | undefined): ParsedDuckDBError {
  if (parsed.position === undefined) return parsed;
  const position = toSource(parsed.position);
  return position === undefined ? { message: parsed.message } : { message: parsed.message, position };
}
