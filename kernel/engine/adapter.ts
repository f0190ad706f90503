/** What the shared engine core needs from a DuckDB-WASM database, implemented over the blocking (Node) and async (worker) APIs. */
import type { RecordBatch } from "apache-arrow";
import type { RawTokens } from "./sql-tokens.ts";

export interface ConnectionAdapter {
  /** Run a statement to completion, discarding its result. */
  run(sql: string): Promise<void>;
  /** Stream a result; with values the SQL is prepared and the values bound by position ($1…). */
  stream(sql: string, values: unknown[]): Promise<AsyncIterable<RecordBatch>>;
  /** Run a prepared statement to completion, discarding its result. */
  runPrepared(sql: string, values: unknown[]): Promise<void>;
  getTableNames(sql: string): Promise<string[]>;
  /** Ask DuckDB to interrupt what this connection runs. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseAdapter {
  connect(): Promise<ConnectionAdapter>;
  registerFileURL(name: string, url: string): Promise<void>;
  tokenize(sql: string): Promise<RawTokens>;
  /** Tear the database down; for a worker, terminate it (the way to stop a query DuckDB does not interrupt). */
  terminate(): Promise<void>;
}

export const HTTP_FILESYSTEM = { reliableHeadRequests: true, allowFullHTTPReads: false, forceFullHTTPReads: false } as const;

/** Our own settings, applied to every connection: extensions never download (DESIGN.md decision 1). */
export const CONNECTION_SETTINGS = ["SET autoinstall_known_extensions=false", "SET autoload_known_extensions=false"] as const;
