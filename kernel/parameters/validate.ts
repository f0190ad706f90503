/**
 * Checking a value against its input: the right type, one of the options, a location in the hierarchy, a period
 * choice that makes periods. Refusals are messages that name the input and say why, shown on the input.
 */
import { PeriodError } from "../../connectors/harmonize/periods/index.ts";
import {
  type DateRangeValue,
  type InputDefinition,
  type InputValue,
  optionValues,
  type PeriodValue,
  periodValueSchema,
  type ValidationContext,
} from "./definitions.ts";
import { resolvePeriods, todayUtc } from "./periods.ts";

/** A picker never offers more periods than this (a daily range over decades is a typo). */
export const MAX_PICKED_PERIODS = 1_000;
const MAX_LIST = 10_000;

export type Checked = { ok: true; value: InputValue } | { ok: false; message: string };

const refuse = (def: InputDefinition, why: string): Checked => ({ ok: false, message: `\`${def.name}\`: ${why}` });
const show = (value: unknown): string => {
  const text = typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const DEFAULT_RELATIVE: Record<string, string> = {
  Daily: "LAST_30_DAYS",
  BiWeekly: "LAST_4_BIWEEKS",
  Monthly: "LAST_12_MONTHS",
  BiMonthly: "LAST_6_BIMONTHS",
  Yearly: "LAST_5_YEARS",
};
function defaultRelative(type: string): string {
  if (DEFAULT_RELATIVE[type]) return DEFAULT_RELATIVE[type];
  if (type.startsWith("Weekly")) return "LAST_12_WEEKS";
  if (type.startsWith("Quarterly")) return "LAST_4_QUARTERS";
  if (type.startsWith("SixMonthly")) return "LAST_2_SIXMONTHS";
  return "LAST_5_FINANCIAL_YEARS";
}

/** The value an input starts with: its declared default, else a sensible one for its type. */
export function defaultValue(def: InputDefinition, context: ValidationContext = {}): InputValue {
  switch (def.type) {
    case "select":
      return def.default ?? optionValues(def, context)?.[0] ?? null;
    case "multi-select":
      return def.default ?? [];
    case "text":
      return def.default ?? "";
    case "number":
      return def.default ?? def.min ?? 0;
    case "date-range": {
      const today = context.today ?? todayUtc();
      return def.default ?? { from: `${today.slice(0, 4)}-01-01`, to: today };
    }
    case "period":
      return (
        def.default ??
        ({ kind: "relative", periodType: def.periodTypes[0], relative: defaultRelative(def.periodTypes[0]) } as PeriodValue)
      );
    case "location":
      return def.default ?? (def.multiple ? [] : null);
  }
}

function checkStrings(def: InputDefinition, value: unknown, allowed: readonly string[] | null, what: string): Checked {
  if (!Array.isArray(value)) return refuse(def, `expected a list of ${what}s, got ${show(value)}`);
  if (value.length > MAX_LIST) return refuse(def, `at most ${MAX_LIST} ${what}s can be chosen`);
  const allowedSet = allowed ? new Set(allowed) : null;
  for (const item of value) {
    if (typeof item !== "string") return refuse(def, `${show(item)} is not text`);
    if (allowedSet && !allowedSet.has(item)) return refuse(def, `${show(item)} is not one of the ${what}s`);
  }
  return { ok: true, value: [...new Set(value as string[])] };
}

function checkLocation(def: Extract<InputDefinition, { type: "location" }>, id: unknown, context: ValidationContext) {
  if (typeof id !== "string" || id === "") return `${show(id)} is not a location id`;
  if (!context.locations) return null;
  const node = context.locations.find((l) => l.id === id);
  if (!node) return `${show(id)} is not a location in the hierarchy`;
  if (def.levels && (node.level === undefined || !def.levels.includes(node.level))) {
    return `${node.name} (${id}) is at level ${node.level ?? "?"}; pick a location at level ${def.levels.join(" or ")}`;
  }
  return null;
}

export function validateValue(def: InputDefinition, value: unknown, context: ValidationContext = {}): Checked {
  switch (def.type) {
    case "select": {
      if (value === null) return { ok: true, value: null };
      if (typeof value !== "string") return refuse(def, `expected text, got ${show(value)}`);
      const allowed = optionValues(def, context);
      if (allowed && !allowed.includes(value)) return refuse(def, `${show(value)} is not one of the options`);
      return { ok: true, value };
    }
    case "multi-select":
      return checkStrings(def, value, optionValues(def, context), "option");
    case "text":
      if (typeof value !== "string") return refuse(def, `expected text, got ${show(value)}`);
      if (value.length > def.maxLength) return refuse(def, `at most ${def.maxLength} characters (got ${value.length})`);
      return { ok: true, value };
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return refuse(def, `${show(value)} is not a number`);
      if (def.integer && !Number.isInteger(value)) return refuse(def, `${value} is not a whole number`);
      if (def.min !== undefined && value < def.min) return refuse(def, `${value} is below the minimum ${def.min}`);
      if (def.max !== undefined && value > def.max) return refuse(def, `${value} is above the maximum ${def.max}`);
      return { ok: true, value };
    }
    case "date-range": {
      const v = value as Partial<DateRangeValue> | null;
      if (!v || typeof v !== "object" || typeof v.from !== "string" || typeof v.to !== "string") {
        return refuse(def, `expected a date range {from, to}, got ${show(value)}`);
      }
      if (!isRealDate(v.from)) return refuse(def, `start ${show(v.from)} is not a date (YYYY-MM-DD)`);
      if (!isRealDate(v.to)) return refuse(def, `end ${show(v.to)} is not a date (YYYY-MM-DD)`);
      if (v.from > v.to) return refuse(def, `the start ${v.from} is after the end ${v.to}`);
      return { ok: true, value: { from: v.from, to: v.to } };
    }
    case "period": {
      const parsed = periodValueSchema.safeParse(value);
      if (!parsed.success) return refuse(def, `${show(value)} is not a period choice`);
      if (!def.periodTypes.includes(parsed.data.periodType)) {
        return refuse(def, `period type ${parsed.data.periodType} is not offered (${def.periodTypes.join(", ")})`);
      }
      try {
        const resolved = resolvePeriods(parsed.data, context.today);
        if (resolved.periodIds.length > MAX_PICKED_PERIODS) {
          return refuse(def, `${resolved.periodIds.length} periods chosen; at most ${MAX_PICKED_PERIODS}`);
        }
      } catch (error) {
        if (error instanceof PeriodError) return refuse(def, error.message);
        throw error;
      }
      return { ok: true, value: parsed.data };
    }
    case "location": {
      if (!def.multiple) {
        if (value === null) return { ok: true, value: null };
        const problem = checkLocation(def, value, context);
        return problem ? refuse(def, problem) : { ok: true, value: value as string };
      }
      if (!Array.isArray(value)) return refuse(def, `expected a list of location ids, got ${show(value)}`);
      if (value.length > MAX_LIST) return refuse(def, `at most ${MAX_LIST} locations can be chosen`);
      for (const id of value) {
        const problem = checkLocation(def, id, context);
        if (problem) return refuse(def, problem);
      }
      return { ok: true, value: [...new Set(value as string[])] };
    }
  }
}
