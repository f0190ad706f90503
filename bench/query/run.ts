/**
 * Query benchmark (issue 5): five notebook queries on a generated base-format dataset file, timed on native DuckDB,
 * DuckDB-WASM's Node build (kernel NodeEngine, file over HTTP), DuckDB-WASM in Chromium (kernel BrowserEngine in a
 * worker, file over HTTP) and arquero (rows loaded as Arrow first); HTTP bytes of the selective query counted on the
 * server against what its columns occupy in the file. Writes bench/results/query.json.
 *
 *   npm run bench:query [-- --quick] [-- --warm 3]
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadArqueroTables, runArquero } from "./arquero.ts";
import { prepareBrowserAssets, runBrowser } from "./browser.ts";
import { ensureDataset, FULL_SIZE, QUICK_SIZE } from "./generate.ts";
import { runNative } from "./native.ts";
import { benchQueries, SELECTIVE, sameChecksum } from "./queries.ts";
import { type BenchResult, formatTable, machineInfo } from "./report.ts";
import { bodyBytes, startBenchServer } from "./server-process.ts";
import { neededBytes } from "./storage.ts";
import { geometricMean, type QueryTiming, round } from "./timing.ts";
import { runWasmNode } from "./wasm-node.ts";

const RESULT_FILE = fileURLToPath(new URL("../results/query.json", import.meta.url));
const DATASET_NAME = "ds.duckdb";

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const log = (message: string) => process.stderr.write(`[bench:query] ${message}\n`);

async function main() {
  const quick = process.argv.includes("--quick");
  const warmRuns = argValue("--warm", 3);
  const size = quick ? QUICK_SIZE : FULL_SIZE;
  const machine = machineInfo();
  const queries = benchQueries(size);
  const selective = queries.find((q) => q.name === SELECTIVE.name);
  if (!selective) throw new Error(`selective query ${SELECTIVE.name} is not among the queries`);

  log(`dataset ${quick ? "(quick)" : "(full)"}…`);
  const dataset = await ensureDataset(size);
  log(`${dataset.rows.toLocaleString("en")} rows, ${(dataset.bytes / 2 ** 20).toFixed(1)} MiB: ${dataset.file}`);

  const root = mkdtempSync(path.join(tmpdir(), "bench-query-"));
  symlinkSync(dataset.file, path.join(root, DATASET_NAME));
  await prepareBrowserAssets(root);
  const server = await startBenchServer(root, DATASET_NAME);
  try {
    log("native DuckDB…");
    const native = await runNative(dataset.file, queries, warmRuns);
    const native1 = await runNative(dataset.file, queries, warmRuns, { threads: 1 });
    log("DuckDB-WASM, Node build over HTTP…");
    const wasmNode = await runWasmNode(server, queries, warmRuns, selective.name);
    log("DuckDB-WASM in Chromium (worker) over HTTP…");
    const browser = await runBrowser(server, queries, warmRuns, selective.name);
    const served = (await server.log(true)).totals;
    log("arquero: loading the rows as Arrow (not timed)…");
    const tables = await loadArqueroTables(dataset.file);
    log(`arquero: ${tables.rows.toLocaleString("en")} rows loaded; running…`);
    const arquero = await runArquero(tables, queries, warmRuns);
    const needed = await neededBytes(dataset.file, SELECTIVE.columns, {
      column: SELECTIVE.filterColumn,
      value: selective.params.field,
    });

    const engines: Record<string, Record<string, QueryTiming>> = {
      native: native.timings,
      native_1_thread: native1.timings,
      wasm_node: wasmNode.timings,
      wasm_chromium: browser.timings,
      arquero,
    };
    const disagreements: string[] = [];
    for (const q of queries) {
      for (const [engine, timings] of Object.entries(engines)) {
        if (!sameChecksum(timings[q.name].check, native.timings[q.name].check)) {
          disagreements.push(
            `${q.name}: ${engine} ${JSON.stringify(timings[q.name].check)} ≠ native ${JSON.stringify(native.timings[q.name].check)}`,
          );
        }
      }
    }

    const figures: Record<string, number> = {};
    const ratio = (a: string, b: string) => queries.map((q) => engines[a][q.name].medianMs / engines[b][q.name].medianMs);
    for (const q of queries) {
      for (const [engine, timings] of Object.entries(engines)) figures[`${q.name}.${engine}_ms`] = timings[q.name].medianMs;
      figures[`${q.name}.wasm_chromium_first_ms`] = browser.timings[q.name].firstMs;
      figures[`${q.name}.wasm_node_first_ms`] = wasmNode.timings[q.name].firstMs;
    }
    figures.wasm_over_native = round(geometricMean(ratio("wasm_chromium", "native")), 2);
    figures.wasm_over_native_1_thread = round(geometricMean(ratio("wasm_chromium", "native_1_thread")), 2);
    figures.wasm_node_over_native = round(geometricMean(ratio("wasm_node", "native")), 2);
    figures.arquero_over_wasm = round(geometricMean(ratio("arquero", "wasm_chromium")), 2);
    figures.arquero_over_wasm_node = round(geometricMean(ratio("arquero", "wasm_node")), 2);
    const fetched = bodyBytes(browser.selectiveRequests);
    figures.selective_bytes_fetched = fetched;
    figures.selective_requests = browser.selectiveRequests.length;
    figures.selective_bytes_fetched_node = bodyBytes(wasmNode.selectiveRequests);
    figures.needed_segment_bytes = needed.segmentBytes;
    figures.needed_block_bytes = needed.blockBytes;
    figures.needed_whole_column_bytes = needed.wholeColumnBytes;
    figures.bytes_over_needed = round(fetched / needed.segmentBytes, 2);
    figures.bytes_over_needed_blocks = round(fetched / needed.blockBytes, 2);
    figures.attach_bytes_chromium = bodyBytes(browser.attachRequests);
    figures.attach_requests_chromium = browser.attachRequests.length;
    figures.whole_file_downloads = served.wholeFileDownloads;
    figures.dataset_requests_total = served.requests;
    figures.dataset_bytes_served_total = served.bodyBytes;
    figures.file_bytes = dataset.bytes;
    figures.rows = dataset.rows;
    figures.engine_start_ms_chromium = browser.startMs;
    figures.engine_start_ms_node = wasmNode.startMs;
    figures.results_agree = disagreements.length === 0 ? 1 : 0;

    const result: BenchResult = {
      date: new Date().toISOString(),
      machine,
      params: {
        quick,
        size,
        rows: dataset.rows,
        file_bytes: dataset.bytes,
        warm_runs: warmRuns,
        timing: "median of the warm runs after one first run; ratios are geometric means over the five queries",
        wasm_headline: "DuckDB-WASM in Chromium (kernel BrowserEngine, Web Worker, eh bundle) over HTTP range reads",
        native_threads: native.threads,
        chromium: browser.userAgent,
        selective_query: { name: selective.name, columns: SELECTIVE.columns, params: selective.params, ...needed },
        arquero_input:
          "DuckDB-WASM Arrow result; field_id/location_id/period_id as ENUM → Arrow dictionaries; period_start and value as Float64Array",
        queries: Object.fromEntries(
          queries.map((q) => [q.name, { title: q.title, sql: q.sql.replace(/\s+/g, " "), params: q.params }]),
        ),
        checks: Object.fromEntries(queries.map((q) => [q.name, native.timings[q.name].check])),
      },
      figures,
      goals: {
        wasm_over_native: { target: "<= 3", met: figures.wasm_over_native <= 3 },
        arquero_over_wasm: { target: ">= 10", met: figures.arquero_over_wasm >= 10 },
        bytes_over_needed: { target: "<= 1.2", met: figures.bytes_over_needed <= 1.2 },
        whole_file_downloads: { target: "= 0", met: figures.whole_file_downloads === 0 },
        results_agree: { target: "= 1", met: figures.results_agree === 1 },
      },
      notes: disagreements,
    };
    mkdirSync(path.dirname(RESULT_FILE), { recursive: true });
    writeFileSync(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);

    const columns = [
      "native",
      "native_1_thread",
      "wasm_node",
      "wasm_chromium",
      "wasm_chromium_first",
      "arquero",
      "wasm/native",
      "arquero/wasm",
    ];
    const rows = queries.map((q) => ({
      query: q.name,
      cells: {
        native: native.timings[q.name].medianMs,
        native_1_thread: native1.timings[q.name].medianMs,
        wasm_node: wasmNode.timings[q.name].medianMs,
        wasm_chromium: browser.timings[q.name].medianMs,
        wasm_chromium_first: browser.timings[q.name].firstMs,
        arquero: arquero[q.name].medianMs,
        "wasm/native": browser.timings[q.name].medianMs / native.timings[q.name].medianMs,
        "arquero/wasm": arquero[q.name].medianMs / browser.timings[q.name].medianMs,
      },
    }));
    console.log(`\nQuery benchmark — ${dataset.rows.toLocaleString("en")} rows, times in ms (median of ${warmRuns} warm runs)\n`);
    console.log(formatTable(rows, columns));
    console.log("");
    for (const [name, goal] of Object.entries(result.goals)) {
      console.log(`${goal.met ? "MET   " : "MISSED"} ${name} = ${figures[name]} (goal ${goal.target})`);
    }
    console.log(
      `selective query: ${fetched.toLocaleString("en")} bytes in ${browser.selectiveRequests.length} requests; needs ` +
        `${needed.segmentBytes.toLocaleString("en")} bytes of segments (${needed.blocks} blocks = ${needed.blockBytes.toLocaleString("en")} bytes); ` +
        `attach read ${figures.attach_bytes_chromium.toLocaleString("en")} bytes`,
    );
    for (const d of disagreements) console.log(`RESULTS DIFFER: ${d}`);
    console.log(`\nwritten: ${path.relative(process.cwd(), RESULT_FILE)}`);
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
