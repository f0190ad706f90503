/**
 * Input values in the page URL, so a copied link opens the same view. One query key per input (its name, optionally
 * prefixed): lists repeat the key (`?d=a&d=b`, a lone empty `?d=` is the empty list), a date range is `from..to`, a
 * period is `<type>:<from>..<to>` or `<type>:<RELATIVE>` (e.g. `Monthly:LAST_12_MONTHS`). An unreadable or invalid
 * value falls back to the input's default with a notice that names the input and says why.
 */
import type { InputDefinition, InputValue, PeriodValue, ValidationContext } from "./definitions.ts";
import { defaultValue, validateValue } from "./validate.ts";

export interface UrlNotice {
  input: string;
  message: string;
}

export interface UrlOptions extends ValidationContext {
  /** Prefix of the query keys (default none). */
  prefix?: string;
}

function decode(def: InputDefinition, raw: string[]): { value: unknown } | { error: string } {
  const one = raw[raw.length - 1];
  switch (def.type) {
    case "select":
      return { value: one === "" ? null : one };
    case "text":
      return { value: one };
    case "multi-select":
      return { value: raw.length === 1 && raw[0] === "" ? [] : raw };
    case "location":
      if (def.multiple) return { value: raw.length === 1 && raw[0] === "" ? [] : raw };
      return { value: one === "" ? null : one };
    case "number": {
      // Number("") is 0 and Number("0x10") is 16: accept plain decimal notation only.
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(one.trim())) return { error: `'${one}' is not a number` };
      return { value: Number(one) };
    }
    case "date-range": {
      const [from, to, extra] = one.split("..");
      if (to === undefined || extra !== undefined) return { error: `'${one}' is not a date range (from..to)` };
      return { value: { from, to } };
    }
    case "period": {
      const colon = one.indexOf(":");
      const periodType = colon > 0 ? one.slice(0, colon) : def.periodTypes[0];
      const rest = colon > 0 ? one.slice(colon + 1) : one;
      const [from, to, extra] = rest.split("..");
      if (extra !== undefined) return { error: `'${one}' is not a period choice` };
      return {
        value: to === undefined ? { kind: "relative", periodType, relative: from } : { kind: "range", periodType, from, to },
      };
    }
  }
}

function encode(def: InputDefinition, value: InputValue): string[] {
  if (value === null) return [""];
  switch (def.type) {
    case "multi-select":
    case "location": {
      const list = Array.isArray(value) ? value : [value as string];
      return list.length === 0 ? [""] : list.map(String);
    }
    case "date-range": {
      const range = value as { from: string; to: string };
      return [`${range.from}..${range.to}`];
    }
    case "period": {
      const p = value as PeriodValue;
      return [p.kind === "relative" ? `${p.periodType}:${p.relative}` : `${p.periodType}:${p.from}..${p.to}`];
    }
    default:
      return [String(value)];
  }
}

export function parseParamsFromUrl(
  search: string | URLSearchParams,
  definitions: readonly InputDefinition[],
  options: UrlOptions = {},
): { values: Record<string, InputValue>; notices: UrlNotice[] } {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const prefix = options.prefix ?? "";
  const values: Record<string, InputValue> = {};
  const notices: UrlNotice[] = [];
  for (const def of definitions) {
    const raw = params.getAll(prefix + def.name);
    const fallback = defaultValue(def, options);
    if (raw.length === 0) {
      values[def.name] = fallback;
      continue;
    }
    const decoded = decode(def, raw);
    const checked =
      "error" in decoded
        ? { ok: false as const, message: `\`${def.name}\`: ${decoded.error}` }
        : validateValue(def, decoded.value, options);
    if (checked.ok) {
      values[def.name] = checked.value;
    } else {
      values[def.name] = fallback;
      notices.push({ input: def.name, message: `${checked.message}; using the default instead` });
    }
  }
  return { values, notices };
}

/** Values → query string entries (every input, so the link keeps its view even if defaults change later). */
export function paramsToUrl(
  values: Readonly<Record<string, InputValue | undefined>>,
  definitions: readonly InputDefinition[],
  options: { prefix?: string; base?: URLSearchParams } = {},
): URLSearchParams {
  const out = new URLSearchParams(options.base);
  const prefix = options.prefix ?? "";
  for (const def of definitions) {
    out.delete(prefix + def.name);
    const value = values[def.name];
    if (value === undefined) continue;
    for (const item of encode(def, value)) out.append(prefix + def.name, item);
  }
  return out;
}
