/**
 * Whether a CSV source can take the SQL path, and how DuckDB must read it to see the same records as the JS parser.
 * The dialect comes from the csv connector's own detection (previewCsv); anything the two readers could disagree on
 * (other encodings, skipped rows, a file starting with a blank line, unknown columns) keeps the JS path.
 */
import { open } from "node:fs/promises";
import { type CsvConfig, type CsvDialect, csvConfigSchema, previewCsv } from "../../csv/index.ts";
import type { ColumnMapping } from "../../harmonize/mapping/index.ts";

export interface CsvSqlPlan {
  path: string;
  /** Name used in places and messages (as the csv connector names it). */
  file: string;
  dialect: CsvDialect;
  /** Column names as the csv connector gives them (header cells made unique, or column_1…). */
  columns: string[];
  /** The connector's batch size: the JS path lists issues batch by batch, and the SQL path keeps that order. */
  batchSize: number;
  config: CsvConfig;
  /** Positional DuckDB column (c0, c1…) of each mapped column name. */
  sqlColumn: (name: string) => string;
}

export type PlanResult = { plan: CsvSqlPlan } | { reason: string };

/** Every column the mapping reads, once each. */
export function mappedColumns(mapping: ColumnMapping): string[] {
  const names = [...mapping.location.map((l) => l.column), mapping.period.column];
  if (mapping.layout.kind === "long") names.push(mapping.layout.fieldColumn, mapping.layout.valueColumn);
  else names.push(...mapping.layout.values.map((v) => v.column));
  if (mapping.disaggregationColumn) names.push(mapping.disaggregationColumn);
  return [...new Set(names)];
}

export async function planCsvSqlPath(configInput: unknown, mapping: ColumnMapping): Promise<PlanResult> {
  const parsed = csvConfigSchema.safeParse(configInput);
  if (!parsed.success) return { reason: "the CSV configuration is not valid" };
  const config = parsed.data;
  let preview: Awaited<ReturnType<typeof previewCsv>>;
  try {
    preview = await previewCsv(config.path, config, 1);
  } catch {
    // Empty, binary or unreadable: the JS path reports it in its own words.
    return { reason: "the file cannot be previewed" };
  }
  const { dialect, columns } = preview;
  if (dialect.encoding !== "utf-8") return { reason: `encoding ${dialect.encoding}` };
  if (dialect.skipRows > 0) return { reason: "rows skipped before the header" };
  if (columns.length === 0 || preview.rows.length === 0) return { reason: "no data rows" };
  if (await startsWithLineBreak(config.path)) return { reason: "the file starts with a blank line" };
  const index = new Map(columns.map((c, i) => [c, i]));
  const missing = mappedColumns(mapping).filter((c) => !index.has(c));
  if (missing.length > 0) return { reason: `mapped columns not in the file: ${missing.join(", ")}` };
  return {
    plan: {
      path: config.path,
      file: preview.file,
      dialect,
      columns,
      batchSize: config.batchSize,
      config,
      sqlColumn: (name) => `c${index.get(name)}`,
    },
  };
}

/** DuckDB's header=true takes the first line as the header; the JS parser skips blank lines before it. */
async function startsWithLineBreak(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    return bytesRead > bom && (buffer[bom] === 0x0a || buffer[bom] === 0x0d);
  } finally {
    await handle.close();
  }
}
