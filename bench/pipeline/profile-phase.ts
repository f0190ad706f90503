/**
 * Optional phase (`--profile`): where the pipeline's time goes, step by step, with the very modules the runner chains
 * (CSV connector → harmonizer with the real matcher → writeDatasetFile), timed around each call:
 *   extract   time inside the connector's next(): read, decode, parse, one record object per row
 *   harmonize harmonizer.harmonize(batch): locations and periods (cached), field lookup, value cleaning, observations
 *   stage     the writer's turn between two batches: observations written to its staging CSV
 *   duckdb    after the last batch: DuckDB reads the staged CSV, sorts by field and period, writes and checkpoints
 * plus the time the garbage collector paused the main thread. Not the runner itself (no catalog, no atomic rename).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import type { FieldRow, Observation } from "../../connectors/core/types.ts";
import { extractCsv } from "../../connectors/csv/index.ts";
import { createMatcher } from "../../connectors/harmonize/locations/index.ts";
import { createHarmonizer } from "../../connectors/harmonize/mapping/index.ts";
import { writeDatasetFile } from "../../connectors/publish/index.ts";
import { expectEqual } from "./check.ts";
import type { GeneratedCsv } from "./generate.ts";
import { round, rssMb, startRssSampler } from "./measure.ts";
import type { PhaseResult } from "./phase-result.ts";
import { benchHierarchy } from "./shape.ts";
import { benchSpec } from "./spec.ts";

export async function profilePhase(csv: GeneratedCsv): Promise<PhaseResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-bench-profile-"));
  const spec = benchSpec(csv.csvPath, csv.size);
  const locations = benchHierarchy(csv.size).rows;
  const fields = spec.fields as FieldRow[];
  const matcher = createMatcher(locations, { typeWords: spec.matching.typeWords, fuzzyThreshold: spec.matching.fuzzyThreshold });
  const harmonizer = createHarmonizer(spec.mapping, matcher, fields);
  const ms = { extract: 0, harmonize: 0, stage: 0, duckdb: 0, gc: 0 };
  let rowsIn = 0;
  let rowsOut = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) ms.gc += entry.duration;
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const controller = new AbortController();
  const ctx = {
    signal: controller.signal,
    fetch,
    tempDir: dir,
    report: () => {},
    progress: () => {},
  };

  async function* observations(): AsyncGenerator<Observation[]> {
    const batches = extractCsv(spec.source.config as never, ctx)[Symbol.asyncIterator]();
    for (;;) {
      let t = performance.now();
      const next = await batches.next();
      ms.extract += performance.now() - t;
      if (next.done) return;
      rowsIn += next.value.records.length;
      t = performance.now();
      const result = harmonizer.harmonize(next.value.records);
      ms.harmonize += performance.now() - t;
      rowsOut += result.observations.length;
      t = performance.now();
      yield result.observations;
      ms.stage += performance.now() - t;
    }
  }

  try {
    const baselineRssMb = rssMb();
    const sampler = startRssSampler(100);
    const started = performance.now();
    let streamEnded = 0;
    const stream = observations();
    const counted = (async function* () {
      yield* stream;
      streamEnded = performance.now();
    })();
    const summary = await writeDatasetFile(path.join(dir, "profile.duckdb"), { observations: counted, locations, fields });
    const ended = performance.now();
    ms.duckdb = ended - streamEnded;
    const rss = sampler.stop();
    gcObserver.disconnect();
    expectEqual("profile rows in", rowsIn, csv.rows);
    expectEqual("profile observations", rowsOut, csv.rows);
    expectEqual("profile file observations", summary.observations, csv.rows);
    const seconds = (ended - started) / 1000;
    return {
      phase: "profile",
      seconds,
      rows: csv.rows,
      rss,
      baselineRssMb,
      figures: {
        ...Object.fromEntries(Object.entries(ms).map(([k, v]) => [`${k}_s`, round(v / 1000, 2)])),
        extract_rows_per_s: round(csv.rows / (ms.extract / 1000)),
        harmonize_rows_per_s: round(csv.rows / (ms.harmonize / 1000)),
        stage_rows_per_s: round(csv.rows / (ms.stage / 1000)),
        duckdb_rows_per_s: round(csv.rows / (ms.duckdb / 1000)),
      },
    };
  } finally {
    gcObserver.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
