/**
 * Opens a CSV file: resolves its dialect (given or detected), then streams decoded text through the record parser and
 * shapes records against the header. Shared by preview and extract so both read a file the same way.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Transform } from "node:stream";
import iconv from "iconv-lite";
import type { RunIssue } from "../core/types.ts";
import { binaryReason, detectDialect, detectEncoding, looksLikeHeader } from "./detect.ts";
import { CsvRecordParser, parseCsvText } from "./parser.ts";
import { type CsvDialect, type CsvOptions, SourceFileError } from "./types.ts";

const SAMPLE_BYTES = 64 * 1024;

export interface OpenedCsv {
  path: string;
  /** Name used in places and messages. */
  file: string;
  dialect: CsvDialect;
}

/** Checks the file is non-empty text and fills in every option the caller left out. */
export async function openCsv(path: string, options: CsvOptions = {}): Promise<OpenedCsv> {
  const file = options.name ?? basename(path);
  const fail = (why: string) => new SourceFileError(`file ${file}: ${why}`, { file });
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (size === 0) throw fail("is empty (0 bytes)");
  const sample = await readStart(path, SAMPLE_BYTES);
  const detected = detectEncoding(sample);
  const encoding = options.encoding ?? detected.encoding;
  if (!iconv.encodingExists(encoding)) throw fail(`unknown text encoding "${encoding}"`);
  const why = binaryReason(sample, encoding);
  if (why) throw fail(why);
  const text = iconv.decode(Buffer.from(sample), encoding);
  if (text.trim() === "") throw fail("is empty (no text, only blank space)");
  const skipRows = options.skipRows ?? 0;
  const { delimiter, quote } = detectDialect(text, skipRows);
  const dialect: CsvDialect = {
    encoding,
    delimiter: options.delimiter ?? delimiter,
    quote: options.quote ?? quote,
    skipRows,
    header: options.header ?? guessHeader(text, options.delimiter ?? delimiter, options.quote ?? quote, skipRows),
  };
  return { path, file, dialect };
}

function guessHeader(text: string, delimiter: string, quote: string, skipRows: number): boolean {
  const first = parseCsvText(text, { delimiter, quote }).find((i) => i.kind === "record" && i.row > skipRows);
  return first?.kind === "record" ? looksLikeHeader(first.fields) : true;
}

async function readStart(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export type ShapedItem = { kind: "row"; row: number; values: string[]; warning?: RunIssue } | { kind: "issue"; issue: RunIssue };

export interface CsvStream {
  /** Column names, known once the header (or the first data row) has been read. */
  columns(): string[];
  items(): AsyncGenerator<ShapedItem[]>;
}

/** Streams shaped rows: skipped rows and blank lines dropped, the header consumed, bad rows turned into issues. */
export function streamCsv(opened: OpenedCsv, signal?: AbortSignal): CsvStream {
  const { file, dialect } = opened;
  let columns: string[] | null = null;

  function shape(item: ReturnType<CsvRecordParser["push"]>[number]): ShapedItem | null {
    if (item.row <= dialect.skipRows || item.kind === "blank") return null;
    if (item.kind === "error") {
      const place = { file, row: item.row, column: columns?.[item.column - 1] ?? `#${item.column}` };
      return {
        kind: "issue",
        issue: { severity: "error", message: `file ${file}, row ${fmt(item.row)}: ${item.message}`, place },
      };
    }
    if (columns === null) {
      columns = dialect.header ? headerNames(item.fields) : item.fields.map((_, i) => `column_${i + 1}`);
      if (dialect.header) return null;
    }
    if (item.fields.length > columns.length) {
      const message = `file ${file}, row ${fmt(item.row)}: expected ${columns.length} fields (as in the ${
        dialect.header ? "header" : "first row"
      }), found ${item.fields.length}; row skipped`;
      return { kind: "issue", issue: { severity: "error", message, place: { file, row: item.row } } };
    }
    if (item.fields.length < columns.length) {
      // Exports often drop trailing empty fields (DHIS2's own dataValueSet CSVs do): keep the row, padded, and say so.
      const values = [...item.fields, ...Array<string>(columns.length - item.fields.length).fill("")];
      const message = `file ${file}, row ${fmt(item.row)}: expected ${columns.length} fields, found ${item.fields.length}; missing ones left empty`;
      return { kind: "row", row: item.row, values, warning: { severity: "warning", message, place: { file, row: item.row } } };
    }
    return { kind: "row", row: item.row, values: item.fields };
  }

  async function* items(): AsyncGenerator<ShapedItem[]> {
    const parser = new CsvRecordParser({ delimiter: dialect.delimiter, quote: dialect.quote });
    const input = createReadStream(opened.path, { highWaterMark: 256 * 1024 });
    const decoded = input.pipe(iconv.decodeStream(dialect.encoding) as unknown as Transform);
    input.on("error", (error) => decoded.destroy(error));
    try {
      for await (const chunk of decoded as AsyncIterable<string>) {
        signal?.throwIfAborted();
        const shaped = parser
          .push(chunk)
          .map(shape)
          .filter((s): s is ShapedItem => s !== null);
        if (shaped.length > 0) yield shaped;
      }
      const rest = parser
        .end()
        .map(shape)
        .filter((s): s is ShapedItem => s !== null);
      if (rest.length > 0) yield rest;
    } finally {
      input.destroy();
      decoded.destroy();
    }
  }

  return { columns: () => columns ?? [], items };
}

/** Header cells as column names: blanks named by position, repeats made unique (harmonize maps names to fields). */
export function headerNames(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const base = cell.trim() === "" ? `column_${i + 1}` : cell.trim();
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

export function fmt(n: number): string {
  return n.toLocaleString("en");
}
