import type { RecordBatch } from "apache-arrow";
import type { Column, Row } from "../engine/types.ts";

/**
 * One batch of a result. `arrow` is the engine's Arrow record batch when it has one: exporters that can read Arrow
 * vectors column by column (CSV) then skip building row objects, which is most of an export's time.
 */
export interface ResultBatch {
  columns: Column[];
  rows: Row[];
  arrow?: RecordBatch;
}

/** What an engine's `stream()` yields: the full result, batch by batch. */
export type ResultChunks = AsyncIterable<ResultBatch> | Iterable<ResultBatch>;

/** Where exported bytes go: a web WritableStream (browser download, Response body) or any async writer. */
export type ExportSink =
  | WritableStream<Uint8Array>
  | { write(chunk: Uint8Array): void | Promise<void>; close?(): void | Promise<void> };

export interface ExportSummary {
  columns: Column[];
  rows: number;
  bytes: number;
}

export interface ExportOptions {
  signal?: AbortSignal;
  /** Columns to use when the source yields no batch at all (the engine always yields one, even for 0 rows). */
  columns?: Column[];
  /** Close the sink when done (default true). On failure a WritableStream is aborted either way. */
  close?: boolean;
  /** Column name → DuckDB type, overriding the batches' types (the browser engine reports DECIMAL as DOUBLE). */
  types?: Readonly<Record<string, string>>;
  /** Called after each batch is written with the rows written so far (progress, audit of partial downloads). */
  onProgress?: (rows: number) => void;
}
