/**
 * One Arrow column → the export text of each of its values (null for SQL NULL), read straight from the vector's
 * buffers. Building a row object per row (kernel/engine/arrow-rows.ts) is most of an export's time; reading a column's
 * typed array in one loop is several times faster. Types without a fast path here return `undefined` and the caller
 * falls back to the engine's row objects for that column. The text is what `valueText` gives for the same value.
 */
import { type Data, type RecordBatch, Type } from "apache-arrow";
import { type ColumnFormat, decimalText } from "./values.ts";

const MS_PER_DAY = 86_400_000;

function isValid(data: Data, row: number): boolean {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return true;
  const i = data.offset + row;
  return (data.nullBitmap[i >> 3] & (1 << (i & 7))) !== 0;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return false;
  return true;
}

const utf8 = new TextDecoder();

function utf8Texts(data: Data, out: (string | null)[], at: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const values = data.values as Uint8Array;
  const first = offsets[data.offset];
  const last = offsets[data.offset + data.length];
  const bytes = values.subarray(first, last);
  // ASCII: one decode for the whole column, then substrings (byte offsets are character offsets).
  const whole = isAscii(bytes) ? utf8.decode(bytes) : null;
  for (let r = 0; r < data.length; r++) {
    if (!isValid(data, r)) {
      out[at + r] = null;
      continue;
    }
    const a = offsets[data.offset + r] - first;
    const b = offsets[data.offset + r + 1] - first;
    out[at + r] = whole !== null ? whole.substring(a, b) : utf8.decode(bytes.subarray(a, b));
  }
}

function dayTexts(data: Data, out: (string | null)[], at: number): void {
  const days = data.values as Int32Array;
  // Dates repeat (periods): each distinct day is formatted once per batch.
  const cache = new Map<number, string>();
  for (let r = 0; r < data.length; r++) {
    if (!isValid(data, r)) {
      out[at + r] = null;
      continue;
    }
    const day = days[data.offset + r];
    let text = cache.get(day);
    if (text === undefined) {
      text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
      cache.set(day, text);
    }
    out[at + r] = text;
  }
}

function numberTexts(data: Data, format: ColumnFormat, out: (string | null)[], at: number): void {
  const values = data.values as ArrayLike<number | bigint>;
  const decimal = format.kind === "decimal";
  for (let r = 0; r < data.length; r++) {
    if (!isValid(data, r)) {
      out[at + r] = null;
      continue;
    }
    const v = values[data.offset + r];
    out[at + r] =
      typeof v === "bigint" ? v.toString() : decimal ? decimalText(v, format.scale) : Number.isNaN(v) ? "NaN" : String(v);
  }
}

function boolTexts(data: Data, out: (string | null)[], at: number): void {
  const bits = data.values as Uint8Array;
  for (let r = 0; r < data.length; r++) {
    const i = data.offset + r;
    out[at + r] = isValid(data, r) ? ((bits[i >> 3] & (1 << (i & 7))) !== 0 ? "true" : "false") : null;
  }
}

/** The column's texts, or undefined when its Arrow type has no fast path (the caller uses row objects instead). */
export function arrowColumnTexts(batch: RecordBatch, index: number, format: ColumnFormat): (string | null)[] | undefined {
  const vector = batch.getChildAt(index);
  if (!vector) return undefined;
  const type = vector.type as { typeId: Type; unit?: number; precision?: number };
  const fast =
    type.typeId === Type.Utf8 ||
    type.typeId === Type.Bool ||
    (type.typeId === Type.Float && type.precision !== 0) /* not HALF (Uint16 storage) */ ||
    type.typeId === Type.Int ||
    (type.typeId === Type.Date && type.unit === 0); /* DateUnit.DAY */
  if (!fast) return undefined;
  const out: (string | null)[] = new Array(batch.numRows);
  let at = 0;
  for (const data of vector.data) {
    if (type.typeId === Type.Utf8) utf8Texts(data, out, at);
    else if (type.typeId === Type.Bool) boolTexts(data, out, at);
    else if (type.typeId === Type.Date) dayTexts(data, out, at);
    else numberTexts(data, format, out, at);
    at += data.length;
  }
  return out;
}
