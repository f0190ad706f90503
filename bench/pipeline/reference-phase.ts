/**
 * Phase (b), the reference: plain native DuckDB loading the same CSV into a table of a DuckDB file, with its own type
 * detection and parallel reader, then CHECKPOINT. This is the limit for "CSV in, DuckDB file out" on this machine.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { expectEqual, firstRowOf } from "./check.ts";
import type { GeneratedCsv } from "./generate.ts";
import { round, rssMb, startRssSampler } from "./measure.ts";
import type { PhaseResult } from "./phase-result.ts";

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

export async function referencePhase(csv: GeneratedCsv): Promise<PhaseResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-bench-reference-"));
  const dbPath = path.join(dir, "reference.duckdb");
  try {
    const baselineRssMb = rssMb();
    const sampler = startRssSampler(100);
    const started = performance.now();
    // Opening and closing the file database are part of the step, as they are for the pipeline's dataset file.
    const instance = await DuckDBInstance.create(dbPath, {
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    });
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TABLE t AS SELECT * FROM read_csv(${literal(csv.csvPath)})`);
      await connection.run("CHECKPOINT");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const ended = performance.now();
    const rss = sampler.stop();

    const check = await firstRowOf(dbPath, 'SELECT count(*) AS n, sum("Value") AS total FROM d.t');
    expectEqual("reference rows", check.n, csv.rows);
    expectEqual("reference value sum", check.total, csv.valueSum);
    return {
      phase: "reference",
      seconds: (ended - started) / 1000,
      rows: csv.rows,
      rss,
      baselineRssMb,
      figures: { reference_file_mb: round(statSync(dbPath).size / 1e6, 1) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
