/**
 * Detection of what a CSV file is before reading it: encoding (BOM, valid UTF-8, else chardet), refusal of binary
 * files with a message that says what they look like, delimiter and quote character, header or not.
 */
import chardet from "chardet";
import iconv from "iconv-lite";
import { parseCsvText } from "./parser.ts";
import { CSV_DELIMITERS, type CsvDelimiter, type CsvQuote } from "./types.ts";

export interface DetectedEncoding {
  encoding: string;
  /** Bytes of byte-order mark at the start of the file (decoders drop it). */
  bomLength: number;
}

export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  if (isValidUtf8(sample)) return { encoding: "utf-8", bomLength: 0 };
  const guess = chardet.detect(sample)?.toLowerCase() ?? "";
  if (guess.startsWith("utf-16")) return { encoding: guess, bomLength: 0 };
  // chardet often calls Western European text ISO-8859-1/9 or windows-1252; windows-1252 decodes all of them the
  // way Excel wrote them (it is a superset of Latin-1 for printable characters: €, curly quotes, œ).
  if (/^(iso-8859-(1|9|15)|windows-125[02])$/.test(guess)) return { encoding: "windows-1252", bomLength: 0 };
  if (guess && iconv.encodingExists(guess) && !guess.startsWith("utf")) return { encoding: guess, bomLength: 0 };
  return { encoding: "windows-1252", bomLength: 0 };
}

/** Valid UTF-8, allowing the sample to end in the middle of a multi-byte character. */
function isValidUtf8(sample: Uint8Array): boolean {
  let end = sample.length;
  // Trim an incomplete trailing sequence (at most 3 continuation bytes after its lead byte).
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = sample[end - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

const MAGIC: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a ZIP archive (an .xlsx workbook or .zip?)" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "a legacy Office file (.xls)" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
];

/** Returns why the sample is not text (or null when it is). UTF-16 files are text: check their BOM first. */
export function binaryReason(sample: Uint8Array, encoding: string): string | null {
  for (const { bytes, what } of MAGIC) {
    if (bytes.every((b, i) => sample[i] === b)) return `it is ${what}, not a CSV text file`;
  }
  if (encoding.startsWith("utf-16")) return null;
  let controls = 0;
  for (const b of sample) {
    if (b === 0) return "it contains NUL bytes, so it is a binary file, not CSV text";
    if (b < 0x09 || (b > 0x0d && b < 0x20)) controls++;
  }
  if (controls > sample.length / 20) return "it contains many control bytes, so it is a binary file, not CSV text";
  return null;
}

/**
 * Picks the delimiter whose records agree best on a field count above one, then the quote character. The sample is
 * decoded text from the start of the file (the last, possibly cut, line is ignored).
 */
export function detectDialect(text: string, skipRows = 0): { delimiter: CsvDelimiter; quote: CsvQuote } {
  const lastBreak = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
  const sample = lastBreak > 0 ? text.slice(0, lastBreak + 1) : text;
  const quote = detectQuote(sample);
  let best: { delimiter: CsvDelimiter; score: number } = { delimiter: ",", score: 0 };
  for (const delimiter of CSV_DELIMITERS) {
    const counts = parseCsvText(sample, { delimiter, quote })
      .filter((item) => item.kind === "record" && item.row > skipRows)
      .slice(0, 100)
      .map((item) => (item.kind === "record" ? item.fields.length : 0));
    if (counts.length === 0) continue;
    const modal = mode(counts);
    if (modal.value < 2) continue;
    // Agreement first; more columns breaks near-ties (a ";" file with commas in some values).
    const score = modal.count / counts.length + modal.value / 1000;
    if (score > best.score) best = { delimiter, score };
  }
  return { delimiter: best.delimiter, quote };
}

function detectQuote(sample: string): CsvQuote {
  const fieldStartsWith = (q: string) => (sample.match(new RegExp(`(^|[,;\\t|\\r\\n])[ ]*${q}`, "g")) ?? []).length;
  return fieldStartsWith('"') === 0 && fieldStartsWith("'") > 0 ? "'" : '"';
}

function mode(values: number[]): { value: number; count: number } {
  const tally = new Map<number, number>();
  for (const v of values) tally.set(v, (tally.get(v) ?? 0) + 1);
  let best = { value: 0, count: 0 };
  for (const [value, count] of tally) if (count > best.count) best = { value, count };
  return best;
}

/**
 * A first row is taken for a header unless it looks like data: a number, a date, or a repeated value.
 * The wizard shows the guess; the user can override it.
 */
export function looksLikeHeader(firstRow: string[]): boolean {
  const cells = firstRow.map((c) => c.trim());
  if (cells.some((c) => /^[-+]?(\d+([.,]\d+)?|\.\d+)(e[-+]?\d+)?%?$/i.test(c))) return false;
  if (cells.some((c) => /^\d{4}-\d{2}(-\d{2})?$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/.test(c))) return false;
  const nonEmpty = cells.filter((c) => c !== "");
  return new Set(nonEmpty).size === nonEmpty.length;
}
