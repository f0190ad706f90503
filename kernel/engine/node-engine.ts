/** The engine on DuckDB-WASM's blocking Node build, for tests and Node scripts; same SQL engine as the browser's. */
import { createRequire } from "node:module";
import path from "node:path";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import type { RecordBatch } from "apache-arrow";
import { type ConnectionAdapter, type DatabaseAdapter, HTTP_FILESYSTEM } from "./adapter.ts";
import { DuckDBEngine } from "./duckdb-engine.ts";
import { createHttpNodeRuntime } from "./node/http-runtime.ts";
import { SyncHttpClient } from "./node/sync-http.ts";

export interface NodeEngineOptions {
  /** Called for every HTTP request the engine makes (tests count range reads with it). */
  onHttpRequest?: (method: string, url: string, range?: string) => void;
}

function bundles(): duckdb.DuckDBBundles {
  const dir = path.dirname(createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm"));
  return {
    mvp: { mainModule: path.join(dir, "duckdb-mvp.wasm"), mainWorker: path.join(dir, "duckdb-node-mvp.worker.cjs") },
    eh: { mainModule: path.join(dir, "duckdb-eh.wasm"), mainWorker: path.join(dir, "duckdb-node-eh.worker.cjs") },
  };
}

async function openNodeDatabase(options: NodeEngineOptions): Promise<DatabaseAdapter> {
  const http = new SyncHttpClient();
  const db = await duckdb.createDuckDB(bundles(), new duckdb.VoidLogger(), createHttpNodeRuntime(http, options.onHttpRequest));
  await db.instantiate(() => undefined);
  db.open({ filesystem: { ...HTTP_FILESYSTEM }, query: { castDecimalToDouble: true } });
  return {
    async connect() {
      return nodeConnection(db.connect());
    },
    async registerFileURL(name, url) {
      db.registerFileURL(name, url, duckdb.DuckDBDataProtocol.HTTP, false);
    },
    async tokenize(sql) {
      return db.tokenize(sql);
    },
    async terminate() {
      db.reset();
      await http.close();
    },
  };
}

function nodeConnection(conn: duckdb.DuckDBConnection): ConnectionAdapter {
  return {
    async run(sql) {
      conn.query(sql);
    },
    async runPrepared(sql, values) {
      const stmt = conn.prepare(sql);
      try {
        stmt.query(...values);
      } finally {
        stmt.close();
      }
    },
    async stream(sql, values) {
      // send() hands batches out as DuckDB produces them instead of materializing the whole result.
      if (values.length === 0) return toAsync(await conn.send(sql, true));
      const stmt = conn.prepare(sql);
      try {
        return toAsync(stmt.send(...values), () => stmt.close());
      } catch (error) {
        stmt.close();
        throw error;
      }
    },
    async getTableNames(sql) {
      return conn.getTableNames(sql);
    },
    async cancel() {
      conn.cancelSent();
    },
    async close() {
      conn.close();
    },
  };
}

async function* toAsync(batches: Iterable<RecordBatch>, onDone?: () => void): AsyncIterable<RecordBatch> {
  try {
    yield* batches;
  } finally {
    onDone?.();
  }
}

export class NodeEngine extends DuckDBEngine {
  constructor(options: NodeEngineOptions = {}) {
    super(() => openNodeDatabase(options));
  }
}

export function createNodeEngine(options: NodeEngineOptions = {}): NodeEngine {
  return new NodeEngine(options);
}
