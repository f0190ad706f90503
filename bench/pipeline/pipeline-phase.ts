/**
 * Phase (a): CSV → published dataset version through the real runner (runRecorded, mode publish) with a real SQLite
 * catalog in a temporary data directory. Only the runRecorded call is timed; setting up the catalog and checking the
 * published file afterwards are not.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { runRecorded } from "../../connectors/core/run-recorded.ts";
import type { Progress } from "../../connectors/core/types.ts";
import { openDatabase } from "../../db/index.ts";
import { expectEqual, firstRowOf } from "./check.ts";
import type { GeneratedCsv } from "./generate.ts";
import { round, rssMb, startRssSampler } from "./measure.ts";
import type { PhaseResult } from "./phase-result.ts";
import { benchHierarchy } from "./shape.ts";
import { benchSpec } from "./spec.ts";

/**
 * Splits the run's wall time by the progress events the runner already emits. Per batch the order is:
 * the CSV connector parses → harmonize → event "harmonize" → the writer stages the batch as CSV → event "write";
 * after the last batch DuckDB loads, sorts and writes the file → event "publish" (catalog commit) → run record.
 */
function phaseClock(started: number) {
  let last = started;
  let lastWrite = started;
  const ms = { extract_harmonize: 0, stage: 0, duckdb_write: 0, publish_record: 0 };
  let publishAt: number | null = null;
  return {
    on(p: Progress) {
      const now = performance.now();
      if (p.phase === "harmonize") {
        ms.extract_harmonize += now - last;
        last = now;
      } else if (p.phase === "write") {
        ms.stage += now - last;
        last = lastWrite = now;
      } else if (p.phase === "publish") {
        publishAt = now;
        ms.duckdb_write = now - lastWrite;
      }
    },
    finish(ended: number) {
      if (publishAt !== null) ms.publish_record = ended - publishAt;
      return Object.fromEntries(Object.entries(ms).map(([k, v]) => [`${k}_s`, round(v / 1000, 2)]));
    },
  };
}

export async function pipelinePhase(csv: GeneratedCsv): Promise<PhaseResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-bench-pipeline-"));
  const database = openDatabase(path.join(dir, "data"));
  try {
    const catalog = createCatalog(database.db, path.join(dir, "data", "datasets"));
    catalog.replaceHierarchy(benchHierarchy(csv.size).rows);
    const spec = benchSpec(csv.csvPath, csv.size);
    const baselineRssMb = rssMb();

    let lastPrint = 0;
    const sampler = startRssSampler(100);
    const started = performance.now();
    const clock = phaseClock(started);
    const report = await runRecorded(spec, {
      catalog,
      mode: "publish",
      onProgress: (p) => {
        clock.on(p);
        const now = performance.now();
        if (now - lastPrint > 5_000) {
          lastPrint = now;
          console.log(`  pipeline ${((now - started) / 1000).toFixed(0)} s: ${p.phase} ${p.done.toLocaleString("en")}`);
        }
      },
    });
    const ended = performance.now();
    const rss = sampler.stop();

    if (report.status !== "succeeded") throw new Error(`pipeline run ${report.status}: ${report.error}`);
    expectEqual("pipeline rows in", report.rowsIn, csv.rows);
    expectEqual("pipeline rows rejected", report.rowsRejected, 0);
    expectEqual("pipeline observations", report.rowsOut, csv.rows);
    const dataset = catalog.bySlug(spec.dataset.slug);
    const version = dataset && catalog.version(dataset.id, report.version ?? 0);
    if (!version) throw new Error("pipeline: the catalog has no published version after a successful run");
    if (!version.fileName) throw new Error("pipeline: the published version has no file name");
    const file = path.join(catalog.datasetsDir, version.fileName);
    const check = await firstRowOf(file, "SELECT count(*) AS n, sum(value) AS total FROM d.observations");
    expectEqual("published observations", check.n, csv.rows);
    expectEqual("published value sum", check.total, csv.valueSum);

    return {
      phase: "pipeline",
      seconds: (ended - started) / 1000,
      rows: csv.rows,
      rss,
      baselineRssMb,
      figures: {
        ...clock.finish(ended),
        ...Object.fromEntries(Object.entries(report.timings).map(([k, v]) => [`report_${k}`, v])),
        dataset_file_mb: round(version.sizeBytes / 1e6, 1),
      },
    };
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
