/** The result file (DESIGN.md "Testing and measuring") and the table printed at the end of a run. */
import { machineInfo } from "../lib/machine.ts";

export { machineInfo };

export interface Goal {
  target: string;
  met: boolean;
}

export interface BenchResult {
  date: string;
  machine: Record<string, string | number>;
  params: Record<string, unknown>;
  figures: Record<string, number>;
  goals: Record<string, Goal>;
  notes: string[];
}

export interface TableRow {
  query: string;
  cells: Record<string, number>;
}

export function formatTable(rows: readonly TableRow[], columns: readonly string[]): string {
  const header = ["query", ...columns];
  const body = rows.map((r) => [r.query, ...columns.map((c) => formatNumber(r.cells[c]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  if (Math.abs(value) >= 100) return String(Math.round(value));
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
