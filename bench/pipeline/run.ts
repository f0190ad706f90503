/**
 * `npm run bench:pipeline [-- --quick] [--profile] [--sketch] [--repeat N] [--out file.json]`
 *
 * Issue 3's benchmark: a generated long CSV (≈10M rows; `--quick` ≈1M) → published dataset version through the real
 * runner, against the reference of plain native DuckDB loading the same CSV into a DuckDB file. Each phase runs in its
 * own Node process (fresh memory, its own peak RSS); the CSV is read once beforehand so both find it in the page cache.
 * `--profile` adds a pass that splits the pipeline's time into extract / harmonize / stage / DuckDB; `--sketch` one of
 * sql-path-sketch.ts (a possible SQL-side harmonization, not the product).
 * Writes bench/results/pipeline.json (a `--quick` run writes bench/.data/pipeline-quick.json: a smoke run must not
 * replace the recorded full-size figures).
 */
import { spawn } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DATA_DIR, ensureCsv, type GeneratedCsv } from "./generate.ts";
import { machineInfo, round } from "./measure.ts";
import type { PhaseResult } from "./phase-result.ts";
import { FULL_SIZE, QUICK_SIZE } from "./shape.ts";

const RATIO_GOAL = 0.5;
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const profile = args.includes("--profile");
const sketch = args.includes("--sketch");
const repeatAt = args.indexOf("--repeat");
const repeat = repeatAt >= 0 ? Math.max(1, Number(args[repeatAt + 1]) || 1) : 1;
const outAt = args.indexOf("--out");
const outPath =
  outAt >= 0
    ? path.resolve(args[outAt + 1])
    : quick
      ? path.join(DATA_DIR, "pipeline-quick.json")
      : fileURLToPath(new URL("../results/pipeline.json", import.meta.url));

async function warmPageCache(file: string): Promise<number> {
  const started = performance.now();
  for await (const _ of createReadStream(file, { highWaterMark: 4 << 20 })) {
    // Read and dropped: both phases should find the file in memory rather than one paying for the disk.
  }
  return (performance.now() - started) / 1000;
}

async function runPhase(name: PhaseResult["phase"], csv: GeneratedCsv, scratch: string): Promise<PhaseResult> {
  const resultPath = path.join(scratch, `${name}.json`);
  const script = fileURLToPath(new URL("./phase.ts", import.meta.url));
  console.log(`\n${name}: starting (own process)`);
  const child = spawn(process.execPath, ["--import", "tsx", script, name, csv.csvPath, resultPath], { stdio: "inherit" });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (c, signal) => resolve(signal ? -1 : c));
  });
  if (code !== 0) throw new Error(`phase ${name} failed (exit ${code}); its output is above`);
  const result = JSON.parse(readFileSync(resultPath, "utf8")) as PhaseResult;
  console.log(`${name}: ${result.seconds.toFixed(2)} s, peak RSS ${result.rss.peakMb} MB`);
  return result;
}

const prefixed = (prefix: string, figures: Record<string, number>) =>
  Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${prefix}${k}`, v]));

function printTable(figures: Record<string, number>, goals: Record<string, { target: string; met: boolean }>) {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log("\nfigure".padEnd(width + 1), "value");
  for (const [name, value] of Object.entries(figures)) {
    console.log(name.padEnd(width), value.toLocaleString("en", { maximumFractionDigits: 3 }).padStart(14));
  }
  for (const [name, goal] of Object.entries(goals)) {
    console.log(`goal ${name} ${goal.target}: ${goal.met ? "met" : "NOT met"}`);
  }
}

const machine = machineInfo();
const size = quick ? QUICK_SIZE : FULL_SIZE;
console.log(
  `bench:pipeline ${quick ? "(quick)" : "(full)"} on ${machine.cores} cores, ${machine.memory_gb} GB, Node ${machine.node}`,
);
const csv = await ensureCsv(size);
console.log(
  `CSV ${csv.csvPath}: ${csv.rows.toLocaleString("en")} rows, ${(csv.bytes / 1e6).toFixed(0)} MB` +
    (csv.seconds > 0 ? ` (generated in ${csv.seconds.toFixed(1)} s)` : " (reused)"),
);
const warmSeconds = await warmPageCache(csv.csvPath);

const scratch = mkdtempSync(path.join(tmpdir(), "harmony-bench-results-"));
// The machine is shared: with `--repeat N` the two phases alternate N times and the fastest run of each counts.
const references: PhaseResult[] = [];
const pipelines: PhaseResult[] = [];
let profiled: PhaseResult | null = null;
let sketched: PhaseResult | null = null;
try {
  for (let i = 0; i < repeat; i++) {
    references.push(await runPhase("reference", csv, scratch));
    pipelines.push(await runPhase("pipeline", csv, scratch));
  }
  if (profile) profiled = await runPhase("profile", csv, scratch);
  if (sketch) sketched = await runPhase("sketch", csv, scratch);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const fastest = (runs: PhaseResult[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const slowest = (runs: PhaseResult[]) => Math.max(...runs.map((r) => r.seconds));
const highest = (runs: PhaseResult[]) => Math.max(...runs.map((r) => r.rss.peakMb));
const reference = fastest(references);
const pipeline = fastest(pipelines);

const rowsPerS = csv.rows / pipeline.seconds;
const referenceRowsPerS = csv.rows / reference.seconds;
const ratio = rowsPerS / referenceRowsPerS;
const figures: Record<string, number> = {
  rows: csv.rows,
  rows_per_s: round(rowsPerS),
  reference_rows_per_s: round(referenceRowsPerS),
  ratio_to_reference: round(ratio, 3),
  peak_rss_mb: highest(pipelines),
  pipeline_s: round(pipeline.seconds, 2),
  reference_s: round(reference.seconds, 2),
  pipeline_slowest_s: round(slowest(pipelines), 2),
  reference_slowest_s: round(slowest(references), 2),
  peak_rss_hwm_mb: pipeline.rss.hwmMb ?? 0,
  baseline_rss_mb: pipeline.baselineRssMb,
  reference_peak_rss_mb: highest(references),
  reference_peak_rss_hwm_mb: reference.rss.hwmMb ?? 0,
  ...prefixed("phase_", pipeline.figures),
  ...reference.figures,
  ...(profiled ? { profile_total_s: round(profiled.seconds, 2), ...prefixed("profile_", profiled.figures) } : {}),
  ...(sketched
    ? {
        sketch_s: round(sketched.seconds, 2),
        sketch_ratio_to_reference: round(reference.seconds / sketched.seconds, 3),
        sketch_peak_rss_mb: sketched.rss.peakMb,
        ...prefixed("sketch_", sketched.figures),
      }
    : {}),
};
const goals = { ratio_to_reference: { target: `>= ${RATIO_GOAL}`, met: ratio >= RATIO_GOAL } };
const result = {
  date: new Date().toISOString(),
  machine,
  params: {
    size: quick ? "quick" : "full",
    facilities: size.facilities,
    months: size.months,
    fields: size.fields,
    rows: csv.rows,
    csv_mb: round(csv.bytes / 1e6, 1),
    csv_columns: csv.columns,
    seed: size.seed,
    layout: "long; periods as DHIS2 monthly ids; locations by name at 3 levels (district names with a type word)",
    page_cache: `warm (CSV read once before the phases, ${warmSeconds.toFixed(1)} s)`,
    processes: "one fresh Node process per phase",
    repeats: repeat,
    timing: "fastest of the repeats for each phase (phase_* figures from that run); peak RSS the highest of all runs",
    pipeline: "runRecorded(spec, { mode: 'publish' }) with a SQLite catalog in a temp data dir; hierarchy of 1,200 facilities",
    reference: "native DuckDB: CREATE TABLE t AS SELECT * FROM read_csv(csv) in a file database, CHECKPOINT",
  },
  figures,
  goals,
};
printTable(figures, goals);
mkdirSync(path.dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nwritten ${path.relative(process.cwd(), outPath)}`);
