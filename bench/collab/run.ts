/**
 * `npm run bench:collab [-- --quick] [-- --out file.json] [-- --no-cursors] [-- --no-variant] [-- --sizes 10,50] [-- --open N]
 *   [-- --server-profile dir]` (the last three for investigating: a run with them is not a full record)
 *
 * Issue 7's benchmark. (1) 10, 50 and 100 editors type ~5 keystrokes/s each into one cell of one notebook for 20 s
 * (10 s with --quick): propagation latency sent → received by all other editors (p50/p95/p99), server CPU, RSS and
 * bytes per edit. (2) 1,000 notebooks (100 with --quick) open with one client each: server memory per open notebook.
 * The server runs in its own process with a real SQLite database; clients are lean y-protocols clients
 * (lean-client.ts says why) spread over 4 processes; everything on 127.0.0.1.
 * Writes bench/results/collab.json (a --quick run writes bench/.data/collab-quick.json: a smoke run must not replace
 * the recorded figures). The whole run is bounded by a watchdog.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runLatencyPhase } from "./latency-phase.ts";
import { machineInfo } from "./measure.ts";
import { runMemoryPhase } from "./memory-phase.ts";

const P99_GOAL_MS = 50;
const KB_PER_NOTEBOOK_GOAL = 200;

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const cursors = !args.includes("--no-cursors");
const outAt = args.indexOf("--out");
const outPath =
  outAt >= 0
    ? path.resolve(args[outAt + 1])
    : quick
      ? fileURLToPath(new URL("../.data/collab-quick.json", import.meta.url))
      : fileURLToPath(new URL("../results/collab.json", import.meta.url));

const watchdog = setTimeout(
  () => {
    console.error("bench:collab: watchdog — the run took too long, giving up (children exit when we do)");
    process.exit(2);
  },
  (quick ? 6 : 15) * 60_000,
);

const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizes = option("--sizes")?.split(",").map(Number) ?? [10, 50, 100];
const profileDir = option("--server-profile");
const serverFlags = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
const processes = 4;
const durationMs = quick ? 10_000 : 20_000;
const warmupMs = quick ? 1_000 : 2_000;
const intervalMs = 200; // 5 keystrokes/s
const openNotebooks = Number(option("--open") ?? (quick ? 100 : 1_000));
const contentCells = 8;

const machine = machineInfo();
console.log(
  `bench:collab ${quick ? "(quick)" : "(full)"} on ${machine.cores} cores, load ${machine.load_avg_1m}, Node ${machine.node}`,
);

const latency: Record<number, Awaited<ReturnType<typeof runLatencyPhase>>> = {};
const loadBefore: Record<number, number> = {};
for (const editors of sizes) {
  loadBefore[editors] = machineInfo().load_avg_1m;
  console.log(`\n${editors} editors: ${durationMs / 1000} s of typing (load ${loadBefore[editors]})…`);
  latency[editors] = await runLatencyPhase({ editors, processes, durationMs, warmupMs, intervalMs, cursors, serverFlags });
  const r = latency[editors];
  console.log(
    `  p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms; ${r.edits_measured} edits` +
      ` (${r.edits_not_received_by_all} not received by all); server CPU ${r.server_cpu_pct}%, RSS ${r.server_rss_mb} MB`,
  );
}

// The same 50 editors without cursor awareness: how much of the cost is presence rather than the edits themselves.
let noCursors: Awaited<ReturnType<typeof runLatencyPhase>> | null = null;
if (cursors && sizes.includes(50) && !args.includes("--no-variant")) {
  console.log("\n50 editors without cursor awareness…");
  noCursors = await runLatencyPhase({ editors: 50, processes, durationMs, warmupMs, intervalMs, cursors: false });
  console.log(`  p50 ${noCursors.p50_ms} ms, p99 ${noCursors.p99_ms} ms; server CPU ${noCursors.server_cpu_pct}%`);
}

const loadBeforeMemory = machineInfo().load_avg_1m;
console.log(`\n${openNotebooks} open notebooks, one client each…`);
const memory =
  openNotebooks > 0
    ? await runMemoryPhase({ notebooks: openNotebooks, warmup: 20, processes, contentCells })
    : ({} as Awaited<ReturnType<typeof runMemoryPhase>>);
if (openNotebooks > 0)
  console.log(`  ${memory.kb_per_open_notebook} KB per open notebook (content ${memory.content_kb_per_notebook} KB)`);

const figures: Record<string, number> = {};
for (const editors of sizes) {
  const r = latency[editors];
  figures[`p50_ms_${editors}`] = r.p50_ms;
  figures[`p95_ms_${editors}`] = r.p95_ms;
  figures[`p99_ms_${editors}`] = r.p99_ms;
  figures[`max_ms_${editors}`] = r.max_ms;
  figures[`edits_${editors}`] = r.edits_measured;
  figures[`edits_not_received_by_all_${editors}`] = r.edits_not_received_by_all;
  figures[`keystrokes_per_s_per_editor_${editors}`] = r.keystrokes_per_s_per_editor;
  figures[`server_cpu_pct_${editors}`] = r.server_cpu_pct;
  figures[`server_cpu_ms_per_edit_${editors}`] = r.server_cpu_ms_per_edit;
  figures[`server_rss_mb_${editors}`] = r.server_rss_mb;
  figures[`server_peak_rss_mb_${editors}`] = r.server_peak_rss_mb;
  figures[`server_loop_delay_p99_ms_${editors}`] = r.server_loop_delay_p99_ms;
  figures[`socket_bytes_per_edit_${editors}`] = r.socket_bytes_per_edit;
  figures[`socket_kb_per_s_${editors}`] = r.socket_kb_per_s;
  figures[`clients_cpu_pct_${editors}`] = r.clients_cpu_pct;
  figures[`clients_loop_delay_p99_ms_${editors}`] = r.clients_loop_delay_p99_ms;
}
if (noCursors) {
  for (const name of [
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "server_cpu_pct",
    "server_cpu_ms_per_edit",
    "socket_bytes_per_edit",
  ] as const) {
    figures[`${name}_50_no_cursors`] = noCursors[name];
  }
}
// The durable cost of one keystroke: the bytes of the update the server stores (and relays to each other editor).
figures.bytes_per_edit = (latency[50] ?? latency[sizes[0]]).stored_bytes_per_edit;
figures.kb_per_open_notebook = memory.kb_per_open_notebook;
figures.kb_per_open_notebook_beyond_content = memory.kb_per_open_notebook_beyond_content;
figures.content_kb_per_notebook = memory.content_kb_per_notebook;
figures.heap_kb_per_open_notebook = memory.heap_kb_per_open_notebook;
figures.external_kb_per_open_notebook = memory.external_kb_per_open_notebook;
figures.server_rss_mb_open_notebooks = memory.server_rss_open_mb;
figures.open_notebooks_seconds = memory.open_seconds;

const goals = {
  p99_ms_50: { target: `≤ ${P99_GOAL_MS} ms`, met: figures.p99_ms_50 <= P99_GOAL_MS },
  kb_per_open_notebook_beyond_content: {
    target: `≤ ${KB_PER_NOTEBOOK_GOAL} KB`,
    met: figures.kb_per_open_notebook_beyond_content <= KB_PER_NOTEBOOK_GOAL,
  },
};

const result = {
  date: new Date().toISOString(),
  machine,
  params: {
    size: quick ? "quick" : "full",
    editors: sizes,
    typing_s: durationMs / 1000,
    warmup_excluded_s: warmupMs / 1000,
    keystrokes_per_s_per_editor: 1000 / intervalMs,
    cursor_awareness_per_keystroke: cursors,
    notebooks_per_size: "one notebook, every editor types at its own cursor in its one cell (seed cell)",
    editor_processes: processes,
    client:
      "lean y-protocols client (bench/collab/lean-client.ts): real Y.Doc updates, awareness cursors and 150 ms sync-step-1 probes like collab/client.ts, but others' updates are not applied (only Y.parseUpdateMeta), so 2 shared cores measure the server, not 100 client docs",
    server:
      "own process: createCollabServer defaults + createDrizzlePersistence over openDatabase (SQLite WAL, synchronous=NORMAL), node:http on 127.0.0.1:0",
    latency:
      "per edit: last receive time among all other editors − send time (performance.timeOrigin + now() in each process); edits missing at any editor counted apart",
    bytes_per_edit:
      "stored update bytes ÷ stored edits at 50 editors; socket_bytes_per_edit_N = all server socket bytes in+out (incl. fan-out, awareness, probes) ÷ edits",
    clock_offsets_ms: Object.fromEntries(sizes.map((s) => [s, latency[s].clock_offsets_ms])),
    load_avg_1m_before: { ...loadBefore, open_notebooks: loadBeforeMemory },
    load_avg_1m_after: machineInfo().load_avg_1m,
    open_notebooks: openNotebooks,
    open_notebooks_content: `${contentCells} cells of ~330 chars SQL + a title, stored as each notebook's snapshot`,
    open_notebooks_measure: "RSS after global.gc() with N notebooks open − RSS with 20 warm-up notebooks open, ÷ N",
  },
  figures,
  goals,
};

mkdirSync(path.dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);

const width = Math.max(...Object.keys(figures).map((k) => k.length));
console.log(`\n${"figure".padEnd(width)} ${"value".padStart(12)}`);
for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(width)} ${String(value).padStart(12)}`);
for (const [name, goal] of Object.entries(goals)) console.log(`goal ${name} ${goal.target}: ${goal.met ? "met" : "NOT met"}`);
console.log(`\nwritten ${outPath}`);
clearTimeout(watchdog);
