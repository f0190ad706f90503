/**
 * Record index (DuckDB rowid: data records in file order) → the row number the JS path reports (1-based, header and
 * blank lines counted, a quoted line break staying inside its row). DuckDB skips blank lines without a trace, so:
 * a file with no blank line between records needs only arithmetic; otherwise one streaming pass of the csv
 * connector, stopped at the last record asked for, reads the rows off the records themselves. Only the few records an
 * issue or the unmatched report names are asked for.
 */
import { createReadStream } from "node:fs";
import { type CsvConfig, extractCsv } from "../../csv/index.ts";

const LF = 0x0a;
const CR = 0x0d;

/**
 * Whether a line break follows another one before the file's last record (a blank line; possibly inside a quoted
 * field, which only costs the slower pass). Breaks at the very end of the file are not blank rows before any record.
 */
export async function hasBlankLines(path: string, signal: AbortSignal): Promise<boolean> {
  let previous = 0; // last byte of the previous chunk
  let pendingBlank = false; // a blank line seen, not yet followed by anything but line breaks
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    signal.throwIfAborted();
    if (pendingBlank && chunk.some((b) => b !== LF && b !== CR)) return true;
    const from = 0;
    for (;;) {
      const at = nextBreakPair(chunk, from, previous);
      if (at < 0) break;
      // Anything other than line breaks after it makes it a blank row between records.
      let j = at + 1;
      while (j < chunk.length && (chunk[j] === LF || chunk[j] === CR)) j++;
      if (j < chunk.length) return true;
      pendingBlank = true;
      break;
    }
    previous = chunk[chunk.length - 1];
  }
  return false;
}

/** Index of the second byte of "\n\n", "\r\r" or "\n\r" (a "\r\n" alone is one break), or -1. */
function nextBreakPair(chunk: Buffer, from: number, previous: number): number {
  const first = chunk[from];
  if (
    from === 0 &&
    chunk.length > 0 &&
    (previous === LF || previous === CR) &&
    (first === CR || (first === LF && previous === LF))
  ) {
    return 0;
  }
  let best = -1;
  for (const pair of ["\n\n", "\r\r", "\n\r"]) {
    const at = chunk.indexOf(pair, from, "latin1");
    if (at >= 0 && (best < 0 || at + 1 < best)) best = at + 1;
  }
  return best;
}

export async function fileRows(
  config: CsvConfig,
  header: boolean,
  indexes: readonly number[],
  signal: AbortSignal,
): Promise<Map<number, number>> {
  const rows = new Map<number, number>();
  if (indexes.length === 0) return rows;
  const first = header ? 2 : 1;
  if (!(await hasBlankLines(config.path, signal))) {
    for (const i of indexes) rows.set(i, i + first);
    return rows;
  }
  const wanted = new Set(indexes);
  const last = Math.max(...indexes);
  let index = 0;
  const batches = extractCsv(config, {
    signal,
    fetch,
    tempDir: "",
    report: () => {},
    progress: () => {},
  });
  for await (const batch of batches) {
    for (const record of batch.records) {
      if (wanted.has(index)) rows.set(index, record.place.row as number);
      index++;
    }
    if (index > last) break;
  }
  return rows;
}
