/**
 * Engine values → export text, locale-independently. The engine hands out plain values (kernel/engine/arrow-rows.ts):
 * DATE "YYYY-MM-DD", TIMESTAMP ISO, BIGINT as a number or a decimal string beyond 2^53; BLOB, TIME and INTERVAL arrive
 * as raw Arrow values and are formatted here.
 */
import type { Column } from "../engine/types.ts";

export type ValueKind = "number" | "decimal" | "integer" | "boolean" | "date" | "timestamp" | "time" | "blob" | "text" | "nested";

export function kindOf(column: Column): ValueKind {
  const t = column.type.toUpperCase();
  if (t.endsWith("]") || t.startsWith("STRUCT") || t.startsWith("MAP") || t.startsWith("UNION")) return "nested";
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))$/.test(t)) return "integer";
  if (t.startsWith("DECIMAL") || t.startsWith("NUMERIC")) return "decimal";
  if (t === "DOUBLE" || t === "FLOAT") return "number";
  if (t === "BOOLEAN") return "boolean";
  if (t === "DATE") return "date";
  if (t.startsWith("TIMESTAMP")) return "timestamp";
  if (t === "TIME") return "time";
  if (t === "BLOB") return "blob";
  return "text";
}

/** Digits after the point of a DECIMAL(p,s) type; 0 for DECIMAL without a scale, -1 for other types. */
export function decimalScale(type: string): number {
  const match = /^(?:DECIMAL|NUMERIC)\s*(?:\(\s*\d+\s*(?:,\s*(\d+)\s*)?\))?$/i.exec(type.trim());
  if (!match) return -1;
  return match[1] === undefined ? (/\(/.test(type) ? 0 : 3) : Number(match[1]);
}

/**
 * A DECIMAL value the browser engine handed over as a double (DuckDB-WASM's castDecimalToDouble turns
 * 1234567.89::DECIMAL(12,2) into 1234567.8900000001): printed with the column's scale, which is exact again for every
 * decimal a double can tell apart, so the noise never reaches a file. Exact decimal text (the server) is kept as is.
 */
export function decimalText(value: number, scale: number): string {
  if (!Number.isFinite(value) || scale < 0 || Math.abs(value) >= 1e21) return String(value);
  const text = value.toFixed(Math.min(scale, 100));
  // toFixed keeps the sign of a value that rounds to zero ("-0.00"): a DECIMAL zero has none.
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * The text of one value; `null` for SQL NULL (callers decide how NULL looks). `scale` is the DECIMAL scale of the
 * column (decimalScale), used for kind "decimal".
 */
export function valueText(value: unknown, kind: ValueKind, scale = -1): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (kind === "time") return timeOfDay(value);
    if (kind === "decimal") return decimalText(value, scale);
    // String(n) is locale-independent ("1234.5", never "1 234,5"); -0 prints as "0".
    return Number.isNaN(value) ? "NaN" : String(value);
  }
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return kind === "date" ? value.toISOString().slice(0, 10) : value.toISOString();
  if (value instanceof Uint8Array) return blobText(value);
  return JSON.stringify(value, jsonSafe);
}

/** JSON.stringify replacer: BigInt as a number when exact, else a decimal string; typed arrays as arrays. */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<unknown>);
  return value;
}

/** TIME arrives as microseconds since midnight. */
function timeOfDay(micros: number): string {
  const totalSeconds = Math.floor(micros / 1e6);
  const fraction = micros - totalSeconds * 1e6;
  const p2 = (n: number) => String(n).padStart(2, "0");
  const hms = `${p2(Math.floor(totalSeconds / 3600))}:${p2(Math.floor(totalSeconds / 60) % 60)}:${p2(totalSeconds % 60)}`;
  return fraction ? `${hms}.${String(Math.round(fraction)).padStart(6, "0")}` : hms;
}

/** DuckDB's own BLOB text: printable ASCII as is, other bytes as \xHH. */
function blobText(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes)
    out += b >= 32 && b < 127 && b !== 92 ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

/** How one column is written: its kind and, for DECIMAL, its scale. */
export interface ColumnFormat {
  name: string;
  kind: ValueKind;
  scale: number;
}

/**
 * Formats of the result's columns. `types` (column name → DuckDB type, e.g. from DESCRIBE) overrides the batch's own
 * types: the browser engine reports a DECIMAL column as DOUBLE once it has cast its values.
 */
export function columnFormats(columns: readonly Column[], types?: Readonly<Record<string, string>>): ColumnFormat[] {
  return columns.map((column) => {
    const type = types && Object.hasOwn(types, column.name) ? types[column.name] : column.type;
    return { name: column.name, kind: kindOf({ name: column.name, type }), scale: decimalScale(type) };
  });
}
