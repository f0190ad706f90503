/**
 * `npm run bench:export [-- --quick]` — issue 6's benchmark: N rows × 10 columns exported to CSV, XLSX and JSON by the
 * kernel exporters over the Node engine (the code the browser runs, on DuckDB-WASM's Node build), and to CSV and
 * Parquet by the server route's native DuckDB path. Each case runs in its own process, so its peak RSS is its own;
 * "drain" (the engine stream read, nothing written) shows the engine's share of time and memory.
 * Sizes 100k and 1M (10k and 100k with --quick). Writes bench/results/export.json (--quick: bench/.data/export-quick.json).
 * Chromium is not measured yet.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { machineInfo } from "../lib/machine.ts";

const quick = process.argv.includes("--quick");
const [small, large] = quick ? [10_000, 100_000] : [100_000, 1_000_000];
const root = fileURLToPath(new URL("../..", import.meta.url));
const outPath = quick ? path.join(root, "bench/.data/export-quick.json") : path.join(root, "bench/results/export.json");

interface CaseResult {
  kind: string;
  rows: number;
  seconds: number;
  bytes: number;
  peak_rss_mb: number;
  peak_js_mb: number;
}

function runCase(kind: string, rows: number): CaseResult {
  const out = execFileSync(process.execPath, ["--import", "tsx", path.join(root, "bench/export/case.ts"), kind, String(rows)], {
    cwd: root,
    encoding: "utf8",
    timeout: 15 * 60_000,
  });
  const result = JSON.parse(out.trim().split("\n").pop() ?? "{}") as CaseResult;
  console.log(
    `${kind.padEnd(15)} ${String(rows).padStart(9)} rows  ${result.seconds.toFixed(2).padStart(7)} s  rss ${result.peak_rss_mb} MB  js ${result.peak_js_mb} MB  ${(result.bytes / 1e6).toFixed(1)} MB out`,
  );
  return result;
}

const machine = machineInfo();
console.log(`bench:export ${quick ? "(quick)" : "(full)"} on ${machine.cores} cores, load ${machine.load_avg_1m}`);

const cases: CaseResult[] = [];
for (const rows of [small, large]) {
  for (const kind of ["drain", "csv", "json", "xlsx", "native-csv", "native-parquet"]) cases.push(runCase(kind, rows));
}
const find = (kind: string, rows: number) => cases.find((c) => c.kind === kind && c.rows === rows) as CaseResult;
const suffix = (rows: number) => (rows >= 1_000_000 ? `${rows / 1_000_000}m` : `${rows / 1000}k`);

const figures: Record<string, number> = {};
for (const c of cases) {
  const key = `${c.kind.replace("-", "_")}_${suffix(c.rows)}`;
  figures[`${key}_seconds`] = c.seconds;
  figures[`${key}_peak_mb`] = c.peak_rss_mb;
}
// The named figures (kernel exporters on the Node engine = the browser's code path).
figures[`csv_${suffix(large)}_seconds`] = find("csv", large).seconds;
figures[`xlsx_${suffix(large)}_seconds`] = find("xlsx", large).seconds;
figures[`csv_peak_mb_${suffix(small)}`] = find("csv", small).peak_rss_mb;
figures[`csv_peak_mb_${suffix(large)}`] = find("csv", large).peak_rss_mb;
const csvLarge = find("csv", large);
const csvSmall = find("csv", small);
const growth = csvLarge.peak_rss_mb - csvSmall.peak_rss_mb;
figures.csv_peak_growth_mb = Math.round(growth * 10) / 10;

const result = {
  date: new Date().toISOString(),
  machine,
  params: {
    quick,
    sizes: [small, large],
    columns: 10,
    column_kinds: "BIGINT, 3 × VARCHAR, DATE, INTEGER, 2 × DOUBLE (NULLs), BOOLEAN, VARCHAR (quotes, commas, mostly NULL)",
    path: "kernel exporters over NodeEngine.stream (DuckDB-WASM blocking build) into a file WritableStream; native = app/exports runNativeExport (COPY)",
    peak: "process maxRSS; the Node engine alone (wasm + its heap) is the drain case",
    chromium: "not measured",
  },
  figures,
  goals: {
    csv_1m_seconds: { target: "<= 3", met: quick ? null : csvLarge.seconds <= 3 },
    csv_memory_flat: {
      target: "peak RSS at 1M at most max(100 MB, 25%) above 100k: streamed, not growing with rows",
      met: growth <= Math.max(100, csvSmall.peak_rss_mb * 0.25),
    },
  },
  cases,
};
mkdirSync(path.dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${path.relative(root, outPath)}`);
