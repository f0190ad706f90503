/**
 * The engine in the browser: AsyncDuckDB in a Web Worker, started by the first operation (the notebook works before the
 * ~35 MB wasm loads). Bundle URLs are passed in (the app imports them with Vite `?url`, served from our origin with
 * immutable caching); nothing here is Vite-specific.
 *
 * AsyncDuckDB never settles requests pending in a worker that died (OOM, crash) or that we terminated, so every call
 * races a "worker gone" promise: callers get an error, and the next operation starts a fresh worker.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import type { RecordBatch } from "apache-arrow";
import { type ConnectionAdapter, type DatabaseAdapter, HTTP_FILESYSTEM } from "./adapter.ts";
import { DuckDBEngine } from "./duckdb-engine.ts";

export interface BrowserBundles {
  mvp: { mainModule: string; mainWorker: string };
  eh: { mainModule: string; mainWorker: string };
}

export type EngineStatus = "idle" | "loading" | "ready" | "failed";

export interface BrowserEngineOptions {
  /** "loading" while the worker and wasm start, so the UI can say "engine loading". */
  onStatus?: (status: EngineStatus, detail?: string) => void;
  /** How long a cancelled query may take to stop before the worker is terminated. */
  cancelGraceMs?: number;
}

async function openBrowserDatabase(bundles: BrowserBundles, options: BrowserEngineOptions): Promise<DatabaseAdapter> {
  options.onStatus?.("loading");
  let worker: Worker | null = null;
  try {
    const bundle = await duckdb.selectBundle({ mvp: bundles.mvp, eh: bundles.eh });
    if (!bundle.mainWorker) throw new Error("no DuckDB worker script for this browser");
    const w = new Worker(bundle.mainWorker);
    worker = w;
    let markGone: (reason: Error) => void = () => undefined;
    const gone = new Promise<never>((_, reject) => {
      markGone = reject;
    });
    gone.catch(() => undefined);
    w.addEventListener("error", (event) =>
      markGone(new Error(`DuckDB worker terminated: ${event.message || "crashed (out of memory?)"}`)),
    );
    const guard = <T>(work: Promise<T>): Promise<T> => Promise.race([work, gone]);

    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), w);
    await guard(db.instantiate(bundle.mainModule, bundle.pthreadWorker));
    await guard(db.open({ filesystem: { ...HTTP_FILESYSTEM }, query: { castDecimalToDouble: true } }));
    options.onStatus?.("ready");
    return {
      async connect() {
        return browserConnection(await guard(db.connect()), guard);
      },
      async registerFileURL(name, url) {
        await guard(db.registerFileURL(name, url, duckdb.DuckDBDataProtocol.HTTP, false));
      },
      async tokenize(sql) {
        return guard(db.tokenize(sql));
      },
      async terminate() {
        markGone(new Error("DuckDB worker terminated"));
        await db.terminate().catch(() => undefined);
        options.onStatus?.("idle");
      },
    };
  } catch (error) {
    worker?.terminate();
    options.onStatus?.("failed", error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function browserConnection(conn: duckdb.AsyncDuckDBConnection, guard: <T>(p: Promise<T>) => Promise<T>): ConnectionAdapter {
  return {
    async run(sql) {
      await guard(conn.query(sql));
    },
    async runPrepared(sql, values) {
      const stmt = await guard(conn.prepare(sql));
      try {
        await guard(stmt.query(...values));
      } finally {
        await guard(stmt.close()).catch(() => undefined);
      }
    },
    async stream(sql, values) {
      if (values.length === 0) return guardedBatches(await guard(conn.send(sql, true)), guard);
      const stmt = await guard(conn.prepare(sql));
      try {
        return guardedBatches(await guard(stmt.send(...values)), guard, () => stmt.close());
      } catch (error) {
        await stmt.close().catch(() => undefined);
        throw error;
      }
    },
    async getTableNames(sql) {
      return guard(conn.getTableNames(sql));
    },
    async cancel() {
      await guard(conn.cancelSent()).catch(() => undefined);
    },
    async close() {
      await guard(conn.close());
    },
  };
}

async function* guardedBatches(
  reader: AsyncIterable<RecordBatch>,
  guard: <T>(p: Promise<T>) => Promise<T>,
  onDone?: () => Promise<void>,
): AsyncIterable<RecordBatch> {
  const iterator = reader[Symbol.asyncIterator]();
  try {
    while (true) {
      const next = await guard(iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.().catch(() => undefined);
    await onDone?.().catch(() => undefined);
  }
}

export class BrowserEngine extends DuckDBEngine {
  constructor(bundles: BrowserBundles, options: BrowserEngineOptions = {}) {
    super(() => openBrowserDatabase(bundles, options), options.cancelGraceMs);
  }
}
