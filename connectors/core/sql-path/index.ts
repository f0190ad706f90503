/**
 * The runner's fast path for CSV sources: DuckDB reads the file (read_csv with the csv connector's detected dialect),
 * the harmonizer's own readers run once per distinct cell value, DuckDB joins their answers back, and the dataset
 * file is written from the joined view. Same observations, counts, issues (with the JS path's row numbers) and
 * unmatched report as the JS path; whenever the two readers could disagree it answers `fallback` before anything is
 * reported, and the runner takes the JS path.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Matcher, UnmatchedReport } from "../../harmonize/locations/index.ts";
import type { ColumnMapping } from "../../harmonize/mapping/index.ts";
import { type DatasetFileSummary, writeDatasetFileFromTable } from "../../publish/index.ts";
import type { FieldRow, LocationRow, Progress } from "../types.ts";
import { collectOutcome, type SqlRunOutcome } from "./issues.ts";
import { defaultMemoryLimit, loadCsv, openSession } from "./load.ts";
import { buildMaps } from "./maps.ts";
import { mappedColumns, planCsvSqlPath } from "./plan.ts";
import { createViews } from "./views.ts";

export type { SqlRunOutcome } from "./issues.ts";
export { defaultMemoryLimit } from "./load.ts";

export interface SqlPathInput {
  sourceConfig: unknown;
  mapping: ColumnMapping;
  matcher: Matcher;
  fields: readonly FieldRow[];
  /** The harmonizer's report: filled only once the SQL path is sure to be used. */
  unmatched: UnmatchedReport;
  scratchDir: string;
  signal: AbortSignal;
  progress: (p: Progress) => void;
  /** DuckDB memory_limit (e.g. "2GB"); sorts beyond it spill to the scratch directory. */
  memoryLimit?: string;
  maxListed: number;
}

export interface PreparedSqlRun {
  outcome: SqlRunOutcome;
  /** The session's connection (views `raw`, `harmonized`, `obs`), for measurements. */
  connection: DuckDBConnection;
  timings: Record<string, number>;
  /** Writes the dataset file from the harmonized view. */
  write(filePath: string, locations: readonly LocationRow[]): Promise<DatasetFileSummary>;
  close(): void;
}

export type SqlPathResult = { prepared: PreparedSqlRun } | { fallback: string };

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === "AbortError");
}

export async function prepareCsvSqlPath(input: SqlPathInput): Promise<SqlPathResult> {
  const { mapping, signal } = input;
  signal.throwIfAborted();
  const timings: Record<string, number> = {};
  let lap = Date.now();
  const time = (name: string) => {
    const now = Date.now();
    timings[name] = now - lap;
    lap = now;
  };
  const planned = await planCsvSqlPath(input.sourceConfig, mapping);
  if ("reason" in planned) return { fallback: planned.reason };
  const { plan } = planned;
  const session = await openSession(input.scratchDir, input.memoryLimit ?? defaultMemoryLimit(), signal);
  const { connection } = session;
  try {
    input.progress({ phase: "extract", done: 0, message: `${plan.file}: reading with DuckDB` });
    let loaded: Awaited<ReturnType<typeof loadCsv>>;
    let maps: Awaited<ReturnType<typeof buildMaps>>;
    try {
      loaded = await loadCsv(connection, plan, mappedColumns(mapping));
      if ("reason" in loaded) {
        session.close();
        return { fallback: loaded.reason };
      }
      signal.throwIfAborted();
      time("sql_read_ms");
      input.progress({
        phase: "extract",
        done: loaded.rows,
        total: loaded.rows,
        message: `${plan.file}: ${loaded.rows.toLocaleString("en")} rows read`,
      });
      maps = await buildMaps(connection, mapping, input.matcher, input.fields, plan.sqlColumn);
    } catch (error) {
      // Anything DuckDB cannot read as the JS parser would (encoding surprises, dialects) goes the JS way.
      if (isAbort(error, signal)) throw error;
      session.close();
      return {
        fallback: `DuckDB could not read the file: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      };
    }
    signal.throwIfAborted();
    const cells = await createViews(connection, mapping, plan.sqlColumn);
    time("sql_distinct_maps_ms");
    const outcome = await collectOutcome(connection, plan, mapping, maps, cells, input.unmatched, input.maxListed, signal);
    time("sql_harmonize_ms");
    input.progress({ phase: "harmonize", done: outcome.rowsIn, message: `${outcome.rowsOut.toLocaleString("en")} observations` });
    return {
      prepared: {
        outcome,
        connection,
        timings,
        write: async (filePath, locations) => {
          lap = Date.now();
          const summary = await writeDatasetFileFromTable(connection, { name: "obs" }, filePath, {
            locations,
            fields: input.fields,
          });
          time("sql_write_ms");
          return summary;
        },
        close: () => session.close(),
      },
    };
  } catch (error) {
    session.close();
    throw error;
  }
}
