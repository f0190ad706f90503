/**
 * Native DuckDB for one SQL-path run: a memory limit and a spill directory in the run's scratch folder (10M-row sorts
 * spill instead of growing without bound), cancellation by interrupt, and the CSV read into table `raw`.
 */
import { totalmem } from "node:os";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { CsvSqlPlan } from "./plan.ts";

export interface SqlSession {
  connection: DuckDBConnection;
  close(): void;
}

/** A quarter of the machine's memory, between 512 MB and 4 GB, unless the caller says otherwise. */
export function defaultMemoryLimit(): string {
  const mb = Math.round(Math.min(4096, Math.max(512, totalmem() / 4 / 2 ** 20)));
  return `${mb}MB`;
}

export async function openSession(scratchDir: string, memoryLimit: string, signal: AbortSignal): Promise<SqlSession> {
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    memory_limit: memoryLimit,
    temp_directory: path.join(scratchDir, "duckdb-spill"),
    // rowid must follow the file's record order: it is how a record finds its row number again.
    preserve_insertion_order: "true",
  });
  const connection = await instance.connect();
  const interrupt = () => connection.interrupt();
  signal.addEventListener("abort", interrupt);
  return {
    connection,
    close() {
      signal.removeEventListener("abort", interrupt);
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Not a value any cell can hold: empty fields stay '' (as the JS parser gives them) and only padding is NULL. */
const NO_NULL_STRING = "\u0001\u0002harmony-no-null\u0002\u0001";

function oddQuotePattern(quote: string): string {
  const q = quote === '"' ? '"' : "'";
  return `^[ \t]*${q}|${q}[ \t]*$`;
}

export type LoadResult = { rows: number } | { reason: string };

/**
 * `raw`: the mapped columns (c<i> by position), `found` = the field count of a short row (NULL otherwise), in file
 * order. Rows DuckDB rejects (too many fields, quoting it reads differently) are not reproduced here: the caller falls
 * back to the JS path, which reports them in its own words.
 */
export async function loadCsv(connection: DuckDBConnection, plan: CsvSqlPlan, mapped: string[]): Promise<LoadResult> {
  const n = plan.columns.length;
  const columns = plan.columns.map((_, i) => `'c${i}': 'VARCHAR'`).join(", ");
  const { delimiter, quote, header } = plan.dialect;
  const options = (parallel: boolean) =>
    [
      `columns = {${columns}}`,
      `header = ${header}`,
      "auto_detect = false",
      `delim = ${sqlText(delimiter)}`,
      `quote = ${sqlText(quote)}`,
      `escape = ${sqlText(quote)}`,
      "comment = ''",
      "all_varchar = true",
      "strict_mode = true",
      "null_padding = true",
      `nullstr = ${sqlText(NO_NULL_STRING)}`,
      "store_rejects = true",
      // The JS parser refuses records longer than 1 MiB characters.
      `max_line_size = ${1 << 20}`,
      `parallel = ${parallel}`,
    ].join(", ");
  const nonNull = plan.columns.map((_, i) => `(c${i} IS NOT NULL)::INTEGER`).join(" + ");
  // A quote DuckDB kept in a cell (spaces before an opening quote, text around one): the JS parser may read that
  // record differently (`a,  "b"` is b there), so any such cell sends the run back to the JS path. The cheap test
  // (any quote character at all) runs on every row; the cells of the few rows it flags are kept for the exact one.
  const anyQuote = plan.columns.map((_, i) => `contains(c${i}, ${sqlText(quote)})`).join(" OR ");
  const allCells = plan.columns.map((_, i) => `c${i}`).join(", ");
  const select = (parallel: boolean) => `CREATE OR REPLACE TABLE raw AS
    SELECT ${mapped.map((c) => plan.sqlColumn(c)).join(", ")},
           CASE WHEN c${n - 1} IS NULL THEN ${nonNull} END AS found,
           CASE WHEN ${anyQuote} THEN [${allCells}] END AS quoted_cells
    FROM read_csv(${sqlText(plan.path)}, ${options(parallel)})`;
  try {
    await connection.run(select(true));
  } catch (error) {
    // The parallel reader cannot pad short rows in a file with quoted line breaks; the single-threaded one can.
    if (!/parallel=false/.test(String(error))) throw error;
    await connection.run(select(false));
  }
  const counts = await connection.runAndReadAll(
    `SELECT count(*) AS n,
       count(*) FILTER (list_bool_or(list_transform(quoted_cells, x -> regexp_matches(x, ${sqlText(oddQuotePattern(quote))})))) AS odd,
       (SELECT count(*) FROM reject_errors) AS rejected
     FROM raw`,
  );
  const [rows, oddCells, rejected] = counts.getRows()[0].map(Number);
  if (rejected > 0) return { reason: `DuckDB rejected ${rejected} rows` };
  if (oddCells > 0) return { reason: `${oddCells} rows hold quotes DuckDB reads differently` };
  if (rows === 0) return { reason: "no data rows" };
  return { rows };
}
