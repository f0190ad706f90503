/**
 * The five queries in arquero, on the same rows loaded as Arrow. Loading is not timed.
 *
 * The rows come out of DuckDB-WASM (Node blocking build, file given as a buffer) as one Apache Arrow table. The string
 * columns are cast to ENUM so Arrow carries them dictionary-encoded, which arquero's Arrow import keeps as integer keys
 * (its fast path for grouping); numbers and dates are copied into contiguous typed arrays, since per-row access into
 * thousands of Arrow chunks would slow arquero down for a reason that has nothing to do with arquero.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import { type DateDay, type DateMillisecond, DateUnit, type Table, type Vector } from "apache-arrow";
import * as aq from "arquero";
import { type AqTable, type BenchQuery, checksum } from "./queries.ts";
import { type QueryTiming, timeQuery } from "./timing.ts";

const DAY_MS = 86_400_000;

async function readArrow(file: string): Promise<{ obs: Table; loc: Table }> {
  const dir = path.dirname(createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm"));
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: path.join(dir, "duckdb-mvp.wasm"), mainWorker: path.join(dir, "duckdb-node-mvp.worker.cjs") },
      eh: { mainModule: path.join(dir, "duckdb-eh.wasm"), mainWorker: path.join(dir, "duckdb-node-eh.worker.cjs") },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate(() => undefined);
  db.open({});
  const conn = db.connect();
  try {
    conn.query("SET autoinstall_known_extensions=false");
    conn.query("SET autoload_known_extensions=false");
    db.registerFileBuffer("bench.duckdb", new Uint8Array(readFileSync(file)));
    conn.query("ATTACH 'bench.duckdb' AS ds (READ_ONLY)");
    for (const column of ["field_id", "location_id", "period_id"]) {
      conn.query(`CREATE TYPE ${column}_enum AS ENUM (SELECT DISTINCT ${column} FROM ds.observations ORDER BY 1)`);
    }
    const obs = conn.query(`SELECT field_id::field_id_enum AS field_id, location_id::location_id_enum AS location_id,
        period_id::period_id_enum AS period_id, period_start, value FROM ds.observations`);
    const loc = conn.query("SELECT location_id, name, district FROM ds.locations");
    return { obs, loc };
  } finally {
    conn.close();
    db.reset();
  }
}

/** One contiguous array from Arrow chunks (the chunks hold no nulls: the generator writes none). */
function float64(vector: Vector, scale = 1): Float64Array {
  const out = new Float64Array(vector.length);
  let i = 0;
  for (const chunk of vector.data) {
    if (chunk.nullCount > 0) throw new Error(`column ${vector.type}: nulls are not expected in the benchmark data`);
    const values = chunk.values as ArrayLike<number | bigint>;
    for (let k = 0; k < chunk.length; k++) out[i++] = Number(values[k]) * scale;
  }
  return out;
}

/** The observations' needed columns and the locations, as arquero tables. */
export async function loadArqueroTables(file: string): Promise<{ obs: AqTable; loc: AqTable; rows: number }> {
  const { obs, loc } = await readArrow(file);
  // Strings stay Arrow dictionaries; arquero flattens their keys once into one integer array per column.
  // biome-ignore lint/suspicious/noExplicitAny: arquero's types reject apache-arrow tables (STACK.md).
  const strings = aq.fromArrow(obs as any, { columns: ["field_id", "location_id", "period_id"] });
  // DuckDB's DATE arrives as Arrow Date (days, or ms since epoch); arquero compares epoch milliseconds.
  const dates = obs.getChild("period_start") as Vector<DateDay | DateMillisecond>;
  const scale = dates.type.unit === DateUnit.DAY ? DAY_MS : 1;
  const obsTable = strings.assign(
    aq.table({ period_start: float64(dates, scale), value: float64(obs.getChild("value") as Vector) }),
  );
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const locTable = aq.fromArrow(loc as any).reify();
  return { obs: obsTable, loc: locTable, rows: obs.numRows };
}

export async function runArquero(
  tables: { obs: AqTable; loc: AqTable },
  queries: readonly BenchQuery[],
  warmRuns: number,
): Promise<Record<string, QueryTiming>> {
  const timings: Record<string, QueryTiming> = {};
  for (const q of queries) {
    timings[q.name] = await timeQuery(warmRuns, async () => {
      const result = q.arquero(tables.obs, tables.loc, q.params);
      return checksum(result.objects() as Record<string, unknown>[], q.checkColumn);
    });
  }
  return timings;
}
