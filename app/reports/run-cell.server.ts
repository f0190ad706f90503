/**
 * Runs one SQL text for a report tile with the export runner (app/exports: fresh locked-down native DuckDB, datasets
 * attached read-only, one SELECT only, bound parameters). The runner writes Parquet; the first `limit` rows are read
 * back from it with their types, and the runner's count gives the total.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DuckDBInstance } from "@duckdb/node-api";
import { type ParamValue, runNativeExport } from "../exports/native-export.server.ts";

export interface TileColumn {
  name: string;
  type: string;
}

export interface TileResult {
  columns: TileColumn[];
  rows: Record<string, unknown>[];
  totalRows: number;
}

/** Stored rows per table tile; the total is kept so the page can say how many more there were. */
export const TILE_ROW_LIMIT = 5_000;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL|FLOAT|DOUBLE)/;

export async function runTileSql(input: {
  sql: string;
  params: Readonly<Record<string, ParamValue>>;
  datasets: Readonly<Record<string, string>>;
  limit?: number;
}): Promise<TileResult> {
  const limit = input.limit ?? TILE_ROW_LIMIT;
  const result = await runNativeExport({ sql: input.sql, params: input.params, datasets: input.datasets, format: "parquet" });
  const dir = await mkdtemp(path.join(tmpdir(), "harmony-report-"));
  const file = path.join(dir, "tile.parquet");
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const conn = await instance.connect();
  try {
    await pipeline(Readable.fromWeb(result.body as WebReadableStream<Uint8Array>), createWriteStream(file));
    const reader = await conn.runAndReadAll(
      `SELECT * FROM read_parquet('${file.replaceAll("'", "''")}') LIMIT ${Math.max(0, Math.floor(limit))}`,
    );
    const types = reader.columnTypes().map(String);
    const columns = reader.columnNames().map((name, i) => ({ name, type: types[i] }));
    // JSON rows give BIGINT/HUGEINT/DECIMAL as strings; charts need numbers (precision past 2^53 is not a report's concern).
    const numeric = columns.filter((c) => NUMERIC.test(c.type)).map((c) => c.name);
    const rows = (reader.getRowObjectsJson() as Record<string, unknown>[]).map((row) => {
      for (const name of numeric) if (typeof row[name] === "string") row[name] = Number(row[name]);
      return row;
    });
    return { columns, rows, totalRows: result.rows };
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
