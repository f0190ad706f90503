/** RFC 4180 CSV of a tile's stored rows; cells that a spreadsheet would run as formulas are prefixed with a quote. */
import type { TileColumn } from "./run-cell.server.ts";

const FORMULA = /^[=+\-@\t\r]/;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (typeof value === "string" && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly TileColumn[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map((c) => cell(c.name)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c.name])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
