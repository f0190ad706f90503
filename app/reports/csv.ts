/** RFC 4180 CSV of a tile's stored rows; text a spreadsheet would run as a formula gets a leading quote. */
import { csvField } from "../../kernel/exporters/csv.ts";
import { neutraliseFormula } from "../../kernel/exporters/formula.ts";
import type { TileColumn } from "./run-cell.server.ts";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return csvField(neutraliseFormula(value));
  return csvField(typeof value === "object" ? JSON.stringify(value) : String(value));
}

export function toCsv(columns: readonly TileColumn[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map((c) => csvField(neutraliseFormula(c.name))).join(",")];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c.name])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
