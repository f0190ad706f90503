/** Bundled by browser-engine.test.ts and run in Chromium: exercises BrowserEngine for real in a page. */
import { BrowserEngine } from "../browser-engine.ts";
import { EngineError } from "../errors.ts";

const base = location.origin;

// Keeps the workers the engine creates, so the test can kill one the way a crash would (an error event, then death).
const workers: Worker[] = [];
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    workers.push(this);
  }
} as typeof Worker;
const statuses: string[] = [];
const engine = new BrowserEngine(
  {
    mvp: { mainModule: `${base}/duckdb-mvp.wasm`, mainWorker: `${base}/duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${base}/duckdb-eh.wasm`, mainWorker: `${base}/duckdb-browser-eh.worker.js` },
  },
  { onStatus: (s) => statuses.push(s), cancelGraceMs: 500 },
);

const asError = (e: unknown) => (e instanceof EngineError ? e.toJSON() : { message: String(e), kind: "other" });

async function run() {
  const out: Record<string, unknown> = {};
  out.statusBeforeFirstQuery = [...statuses];
  await engine.attach("malaria", `${base}/malaria.duckdb`);
  const totals = await engine.query(
    "SELECT l.level2_name AS district, sum(value) AS total FROM malaria.observations JOIN malaria.locations l USING (location_id) WHERE field_id = $f GROUP BY ALL ORDER BY 1",
    { f: "cases" },
  );
  out.totals = totals.rows;
  out.capped = await engine
    .query("SELECT * FROM malaria.observations", undefined, { maxRows: 5 })
    .then((r) => ({ rows: r.rows.length, total: r.totalRows }));
  out.tables = await engine.parseTables("WITH a AS (SELECT 1) SELECT * FROM a, cell1 JOIN malaria.fields USING (field_id)");
  out.error = await engine.query("SELECT nope FROM malaria.fields").catch(asError);
  await engine.defineView("cases", "SELECT * FROM malaria.observations WHERE field_id = 'cases'");
  const controller = new AbortController();
  const slow = engine
    .query("SELECT count(*) FROM range(100000000000) a", undefined, { signal: controller.signal })
    .catch(asError);
  setTimeout(() => controller.abort(), 300);
  out.cancelled = await slow;
  out.afterCancel = (await engine.query("SELECT count(*) AS n FROM cases")).rows;

  // Out of memory: DuckDB refuses the query with its message; the engine goes on.
  await engine.query("SET memory_limit = '24MB'");
  out.outOfMemory = await engine
    .query("SELECT count(DISTINCT s) AS n FROM (SELECT range::VARCHAR || repeat('x', 200) AS s FROM range(3000000))")
    .catch(asError);
  await engine.query("SET memory_limit = '1GB'");
  out.afterOutOfMemory = await engine.query("SELECT count(*) AS n FROM cases").then((r) => r.rows, asError);

  // A crash: the worker dies during a query. The query fails saying so; the next one gets a fresh worker, with the
  // datasets and cell views restored.
  const running = engine.query("SELECT count(*) FROM range(100000000000) a").catch(asError);
  await new Promise((r) => setTimeout(r, 200));
  const victim = workers.at(-1) as Worker;
  victim.dispatchEvent(new ErrorEvent("error", { message: "simulated crash" }));
  victim.terminate();
  out.crashed = await running;
  out.workersBeforeRestart = workers.length;
  out.afterCrash = await engine.query("SELECT count(*) AS n FROM cases").then((r) => r.rows, asError);
  out.workersAfterRestart = workers.length;
  out.statuses = statuses;
  await engine.close();
  return out;
}

(window as unknown as { kernelResult: Promise<unknown> }).kernelResult = run().catch((e) => ({ failed: String(e) }));
