/**
 * Cell → number, text or blank, by the mapping's cleaning options. Built once per mapping: the patterns are compiled
 * here, not per cell (harmonization runs on tens of millions of cells).
 */
import type { RawValue } from "../../core/types.ts";
import type { ValueCleaning } from "./schema.ts";

/**
 * A number, the cell's text when it is not a number, or null for a blank or NA cell. Plain values rather than tagged
 * objects: this runs for every cell, and allocation is what costs at 10M rows.
 */
export type CleanValue = number | string | null;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NO_BREAK_SPACES = /[\u00a0\u202f]/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function createValueCleaner(options: ValueCleaning): (raw: RawValue | undefined) => CleanValue {
  const naTokens = new Set(options.naTokens.map((t) => t.trim().toLowerCase()));
  const longestToken = Math.max(0, ...[...naTokens].map((t) => t.length));
  const dec = options.decimalSeparator;
  const thousands = options.thousandsSeparator;
  // "1,234,567.5": groups of exactly three digits, so "1,5" is never read as 15 when "," groups thousands.
  const grouped = thousands
    ? new RegExp(`^[+-]?\\d{1,3}(?:${escapeRegExp(thousands)}\\d{3})+(?:${escapeRegExp(dec)}\\d+)?$`)
    : null;
  const thousandsAll = thousands ? new RegExp(escapeRegExp(thousands), "g") : null;

  const numeric = (text: string): number | null => {
    let t = text;
    if (thousands === " ") t = t.replace(NO_BREAK_SPACES, " ");
    if (grouped && thousandsAll && grouped.test(t)) {
      t = t.replace(thousandsAll, "");
      if (dec === ",") t = t.replace(",", ".");
      return Number(t);
    }
    if (dec === ",") {
      // With a decimal comma, a "." is only allowed as the thousands separator (matched above): "1.5" is refused.
      if (t.includes(".")) return null;
      t = t.replace(",", ".");
    }
    return PLAIN_NUMBER.test(t) ? Number(t) : null;
  };

  return (raw) => {
    if (raw === null || raw === undefined) return null;
    if (typeof raw === "number") return Number.isFinite(raw) ? raw : String(raw);
    // DHIS2 BOOLEAN / TRUE_ONLY values: 1 and 0 count and sum as people expect.
    if (typeof raw === "boolean") return raw ? 1 : 0;
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? "Invalid Date" : raw.toISOString();
    const text = raw.trim();
    if (text.length <= longestToken && naTokens.has(text.toLowerCase())) return null;
    const value = numeric(text);
    return value === null ? text : value;
  };
}
