import type { RawValue, SourcePlace } from "../../core/types.ts";

/** "file x.csv, sheet Data, row 1,204, column `value`": how a person finds the cell. */
export function formatPlace(place: SourcePlace): string {
  const parts: string[] = [];
  if (place.file) parts.push(`file ${place.file}`);
  if (place.url) parts.push(place.url);
  if (place.page !== undefined) parts.push(`page ${place.page}`);
  if (place.sheet) parts.push(`sheet ${place.sheet}`);
  if (place.row !== undefined) parts.push(`row ${place.row.toLocaleString("en-US")}`);
  if (place.column !== undefined) parts.push(`column \`${place.column}\``);
  return parts.length > 0 ? parts.join(", ") : "(unknown place)";
}

/** A cell quoted for a message, shortened so one huge cell cannot flood a report. */
export function quoteCell(value: RawValue | undefined): string {
  if (value === undefined) return "(missing)";
  if (value === null) return "(empty)";
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (text.trim().length === 0) return "(empty)";
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}
