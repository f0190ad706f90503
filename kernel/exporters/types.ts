import type { Column, Row } from "../engine/types.ts";

/** What an engine's `stream()` yields: the full result, batch by batch. */
export type ResultChunks = AsyncIterable<{ columns: Column[]; rows: Row[] }> | Iterable<{ columns: Column[]; rows: Row[] }>;

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
}
