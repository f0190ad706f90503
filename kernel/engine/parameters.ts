/**
 * Parameters are bound, never spliced (DESIGN.md decision 6). DuckDB-WASM binds prepared-statement values by position
 * only and cannot bind a JS array, so `$name` references are rewritten to positional `$k` placeholders and a list value
 * becomes a list of placeholders `[$k, $k+1, …]`, one bound value per element. Only placeholders enter the SQL text.
 */
import { EngineError } from "./errors.ts";
import { isWord, type Token, TokenType } from "./sql-tokens.ts";
import type { ParamScalar, Params, ParamValue } from "./types.ts";

export interface ParameterUse {
  /** Name for `$name`, or the 0-based index for `?` / `$1`. */
  key: string | number;
  start: number;
  end: number;
}

export function findParameters(tokens: Token[]): ParameterUse[] {
  const uses: ParameterUse[] = [];
  let question = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== TokenType.OPERATOR) continue;
    const next = tokens[i + 1];
    if (t.text === "$" && isWord(next) && next.start === t.end) {
      uses.push({ key: next.text, start: t.start, end: next.end });
      i++;
    } else if (t.text === "?") {
      uses.push({ key: question++, start: t.start, end: t.end });
    } else if (t.text.length > 1 && t.text.startsWith("$") && isDigits(t.text.slice(1))) {
      uses.push({ key: Number(t.text.slice(1)) - 1, start: t.start, end: t.end });
    }
  }
  return uses;
}

/** Names of `$name` parameters in order of first use. */
export function parameterNames(tokens: Token[]): string[] {
  const names: string[] = [];
  for (const use of findParameters(tokens)) if (typeof use.key === "string" && !names.includes(use.key)) names.push(use.key);
  return names;
}

export interface BoundSql {
  sql: string;
  values: ParamScalar[];
  /** Maps an offset in the rewritten SQL back to the original. */
  toSource: (offset: number) => number;
}

export function bindParameters(sql: string, tokens: Token[], params: Params | undefined): BoundSql {
  const uses = findParameters(tokens);
  if (uses.length === 0) return { sql, values: [], toSource: (o) => o };
  const named = uses.filter((u) => typeof u.key === "string");
  if (named.length > 0 && named.length < uses.length) {
    throw new EngineError(
      "Use either $name parameters or positional ones (?, $1) in one query, not both",
      "input",
      named[0].start,
    );
  }
  const slots = new Map<string | number, string>();
  const values: ParamScalar[] = [];
  const placeholder = (value: ParamScalar) => {
    values.push(toBindable(value));
    return `$${values.length}`;
  };
  let out = "";
  let cursor = 0;
  const shifts: { at: number; delta: number }[] = [];
  for (const use of uses) {
    let text = slots.get(use.key);
    if (text === undefined) {
      const value = lookup(params, use);
      text = Array.isArray(value) ? `[${value.map(placeholder).join(", ")}]` : placeholder(value as ParamScalar);
      slots.set(use.key, text);
    }
    const width = use.end - use.start;
    // Pad to the original width so error positions after this point stay right.
    const replacement = text.length < width ? text.padEnd(width, " ") : text;
    out += sql.slice(cursor, use.start) + replacement;
    if (replacement.length !== width) shifts.push({ at: out.length, delta: replacement.length - width });
    cursor = use.end;
  }
  out += sql.slice(cursor);
  const toSource = (offset: number) => {
    let o = offset;
    for (let i = shifts.length - 1; i >= 0; i--) if (offset >= shifts[i].at) o -= shifts[i].delta;
    return Math.max(0, o);
  };
  return { sql: out, values, toSource };
}

function lookup(params: Params | undefined, use: ParameterUse): ParamValue {
  const label = typeof use.key === "string" ? `$${use.key}` : `parameter ${use.key + 1}`;
  let value: ParamValue | undefined;
  if (Array.isArray(params)) value = typeof use.key === "number" ? params[use.key] : undefined;
  else if (params && typeof use.key === "string") {
    const record = params as Readonly<Record<string, ParamValue>>;
    value = Object.hasOwn(record, use.key) ? record[use.key] : findCaseInsensitive(record, use.key);
  }
  if (value === undefined) throw new EngineError(`${label} has no value: set it in an input cell or pass it`, "input", use.start);
  return value;
}

function findCaseInsensitive(record: Readonly<Record<string, ParamValue>>, key: string): ParamValue | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function toBindable(value: ParamScalar): ParamScalar {
  if (typeof value === "number" && !Number.isFinite(value))
    throw new EngineError(`${value} cannot be bound as a parameter`, "input");
  return value;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (const ch of text) if (ch < "0" || ch > "9") return false;
  return true;
}
