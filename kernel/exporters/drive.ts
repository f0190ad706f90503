/** The loop every exporter shares: batches in order, columns from the first, cancellation between batches. */
import type { Column } from "../engine/types.ts";
import { type ByteWriter, byteWriter } from "./sink.ts";
import type { ExportOptions, ExportSink, ExportSummary, ResultBatch, ResultChunks } from "./types.ts";

export class ExportError extends Error {
  override name = "ExportError";
}

export interface ExportSteps {
  start(columns: Column[], writer: ByteWriter): Promise<void>;
  /** One batch; `batch.rows` may be built lazily from `batch.arrow`, so steps that read Arrow should not touch it. */
  rows(batch: ResultBatch, columns: Column[], writer: ByteWriter): Promise<void>;
  end(columns: Column[], writer: ByteWriter): Promise<void>;
}

export async function drive(
  source: ResultChunks,
  sink: ExportSink,
  options: ExportOptions,
  steps: ExportSteps,
): Promise<ExportSummary> {
  const writer = byteWriter(sink);
  let columns: Column[] | null = null;
  let rows = 0;
  try {
    for await (const batch of source) {
      if (options.signal?.aborted) throw new ExportError("The export was cancelled");
      if (columns === null) {
        columns = batch.columns;
        await steps.start(columns, writer);
      }
      // Counted from Arrow when there is one: reading `rows` would build the row objects the CSV path avoids.
      const count = batch.arrow ? batch.arrow.numRows : batch.rows.length;
      if (count === 0) continue;
      await steps.rows(batch, columns, writer);
      rows += count;
      options.onProgress?.(rows);
    }
    if (columns === null) {
      if (!options.columns) throw new ExportError("The result has no columns to export (the query returned nothing)");
      columns = options.columns;
      await steps.start(columns, writer);
    }
    await steps.end(columns, writer);
    if (options.close !== false) await writer.close();
    return { columns, rows, bytes: writer.bytes };
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
}
