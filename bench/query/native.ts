/** The five queries on native DuckDB (@duckdb/node-api), the dataset file attached read-only as `ds`. */
import { DuckDBInstance } from "@duckdb/node-api";
import { type BenchQuery, checksum } from "./queries.ts";
import { type QueryTiming, timeQuery } from "./timing.ts";

export async function runNative(
  file: string,
  queries: readonly BenchQuery[],
  warmRuns: number,
  options: { threads?: number } = {},
): Promise<{ threads: number; timings: Record<string, QueryTiming> }> {
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${file.replaceAll("'", "''")}' AS ds (READ_ONLY)`);
    const threads = Number((await conn.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t);
    const timings: Record<string, QueryTiming> = {};
    for (const q of queries) {
      timings[q.name] = await timeQuery(warmRuns, async () => {
        const reader = await conn.runAndReadAll(q.sql, q.params);
        return checksum(reader.getRowObjectsJS() as Record<string, unknown>[], q.checkColumn);
      });
    }
    return { threads, timings };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
