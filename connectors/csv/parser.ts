/**
 * A small streaming RFC 4180 record parser. Text is pushed in chunks of any size; complete records come out with their
 * row number. Why not DuckDB's read_csv: it reports rejected rows with their numbers (reject_errors.line) but gives no
 * row number for accepted rows, skips blank lines while still counting them, and keeps space-padded quoted fields
 * (`a,   "b"`) with their quotes, so every record could not carry its place.
 *
 * Row numbers count records the way a spreadsheet shows them: a quoted line break stays inside its row, a blank line
 * is a row. Lenient where real files need it: spaces before an opening quote and after a closing quote are ignored, a
 * quote inside an unquoted field is kept as text. Malformed records (text after a closing quote, an unterminated quote,
 * a record longer than `maxRecordChars`) come out as errors, and parsing resumes on the next line.
 */

export type ParsedItem =
  | { kind: "record"; row: number; fields: string[] }
  | { kind: "blank"; row: number }
  | { kind: "error"; row: number; column: number; message: string };

export interface ParserOptions {
  delimiter: string;
  quote: string;
  /** A record still open after this many characters is reported and skipped (an unterminated quote, most likely). */
  maxRecordChars?: number;
}

type Step =
  | { status: "done"; item: ParsedItem; next: number }
  | { status: "incomplete" }
  /** Malformed: report, then resume after the line break at or after `resumeFrom`. */
  | { status: "bad"; column: number; message: string; resumeFrom: number };

const DEFAULT_MAX_RECORD = 1 << 20;

export class CsvRecordParser {
  private buffer = "";
  private nextRow = 1;
  /** Set after a bad record with no line break in sight yet: drop text until one arrives. */
  private skippingLine = false;
  private readonly delimiter: string;
  private readonly quote: string;
  private readonly maxRecordChars: number;
  /** Whitespace skipped around quoted fields; a tab delimiter is never whitespace. */
  private readonly padding: string;

  constructor(options: ParserOptions) {
    this.delimiter = options.delimiter;
    this.quote = options.quote;
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD;
    this.padding = options.delimiter === "\t" ? " " : " \t";
  }

  push(text: string): ParsedItem[] {
    this.buffer += text;
    return this.drain(false);
  }

  end(): ParsedItem[] {
    return this.drain(true);
  }

  private drain(final: boolean): ParsedItem[] {
    const out: ParsedItem[] = [];
    const buf = this.buffer;
    let pos = 0;
    while (pos < buf.length) {
      if (this.skippingLine) {
        const lineEnd = findLineBreak(buf, pos);
        if (lineEnd < 0 || (!final && lineEnd + 1 === buf.length && buf[lineEnd] === "\r")) {
          pos = lineEnd < 0 ? buf.length : lineEnd;
          break;
        }
        pos = afterLineBreak(buf, lineEnd);
        this.skippingLine = false;
        continue;
      }
      let step = this.parseRecord(buf, pos, final);
      if (step.status === "incomplete") {
        if (buf.length - pos <= this.maxRecordChars) break;
        step = {
          status: "bad",
          column: 1,
          message: `record is still open after ${this.maxRecordChars.toLocaleString("en")} characters (unterminated quote?)`,
          resumeFrom: pos,
        };
      }
      const row = this.nextRow++;
      if (step.status === "done") {
        out.push({ ...step.item, row } as ParsedItem);
        pos = step.next;
        continue;
      }
      out.push({ kind: "error", row, column: step.column, message: step.message });
      const lineEnd = findLineBreak(buf, step.resumeFrom);
      if (lineEnd < 0 || (!final && lineEnd + 1 === buf.length)) {
        // The line break (or its "\n" half) is not here yet: drop text until it is.
        this.skippingLine = !final;
        pos = lineEnd < 0 ? buf.length : lineEnd;
      } else {
        pos = afterLineBreak(buf, lineEnd);
      }
    }
    // A lone trailing "\r" may be the first half of "\r\n": keep it until we know.
    this.buffer = buf.slice(pos);
    return out;
  }

  /** Parses one record starting at `start`; row numbers are filled in by the caller. */
  private parseRecord(buf: string, start: number, final: boolean): Step {
    const { delimiter, quote } = this;
    const ch0 = buf[start];
    if (ch0 === "\n" || ch0 === "\r") {
      if (ch0 === "\r" && start + 1 === buf.length && !final) return { status: "incomplete" };
      return { status: "done", item: { kind: "blank", row: 0 }, next: afterLineBreak(buf, start) };
    }
    const fields: string[] = [];
    let i = start;
    for (;;) {
      let j = i;
      while (j < buf.length && this.padding.includes(buf[j])) j++;
      if (j < buf.length && buf[j] === quote) {
        const openedAt = j;
        let value = "";
        let k = j + 1;
        for (;;) {
          const close = buf.indexOf(quote, k);
          if (close < 0 || (close + 1 === buf.length && !final)) {
            if (!final) return { status: "incomplete" };
            return {
              status: "bad",
              column: fields.length + 1,
              message: `the quoted field in column ${fields.length + 1} is never closed`,
              resumeFrom: openedAt,
            };
          }
          if (buf[close + 1] === quote) {
            value += buf.slice(k, close + 1);
            k = close + 2;
            continue;
          }
          value += buf.slice(k, close);
          k = close + 1;
          break;
        }
        while (k < buf.length && this.padding.includes(buf[k])) k++;
        if (k >= buf.length) {
          if (!final) return { status: "incomplete" };
          fields.push(value);
          return { status: "done", item: { kind: "record", row: 0, fields }, next: k };
        }
        const c = buf[k];
        fields.push(value);
        if (c === delimiter) {
          i = k + 1;
          continue;
        }
        if (c === "\n" || c === "\r") {
          if (c === "\r" && k + 1 === buf.length && !final) return { status: "incomplete" };
          return { status: "done", item: { kind: "record", row: 0, fields }, next: afterLineBreak(buf, k) };
        }
        return {
          status: "bad",
          column: fields.length,
          message: `unexpected text after the closing quote in column ${fields.length}`,
          resumeFrom: k,
        };
      }
      // Unquoted field: runs to the next delimiter or line break.
      let k = i;
      while (k < buf.length) {
        const c = buf[k];
        if (c === delimiter || c === "\n" || c === "\r") break;
        k++;
      }
      if (k >= buf.length && !final) return { status: "incomplete" };
      fields.push(buf.slice(i, k));
      if (k >= buf.length) return { status: "done", item: { kind: "record", row: 0, fields }, next: k };
      if (buf[k] === delimiter) {
        i = k + 1;
        continue;
      }
      if (buf[k] === "\r" && k + 1 === buf.length && !final) return { status: "incomplete" };
      return { status: "done", item: { kind: "record", row: 0, fields }, next: afterLineBreak(buf, k) };
    }
  }
}

function findLineBreak(buf: string, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (c === "\n" || c === "\r") return i;
  }
  return -1;
}

function afterLineBreak(buf: string, at: number): number {
  return buf[at] === "\r" && buf[at + 1] === "\n" ? at + 2 : at + 1;
}

/** Parses a whole string (tests, sniffing). */
export function parseCsvText(text: string, options: ParserOptions): ParsedItem[] {
  const parser = new CsvRecordParser(options);
  return [...parser.push(text), ...parser.end()];
}
