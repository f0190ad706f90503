/** Arrow record batches → plain rows and DuckDB-style column types, so UI code never handles BigInt or Arrow vectors. */
import { type DataType, type Field, type RecordBatch, type Schema, Type } from "apache-arrow";
import type { Column, Row } from "./types.ts";

export function columnsOf(schema: Schema): Column[] {
  return schema.fields.map((f) => ({ name: f.name, type: duckdbTypeName(f) }));
}

export function duckdbTypeName(field: Field): string {
  const t = field.type as DataType;
  switch (t.typeId) {
    case Type.Bool:
      return "BOOLEAN";
    case Type.Int: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      const base = { 8: "TINYINT", 16: "SMALLINT", 32: "INTEGER", 64: "BIGINT" }[bitWidth] ?? "BIGINT";
      return isSigned ? base : `U${base}`;
    }
    case Type.Float:
      return (t as unknown as { precision: number }).precision === 1 ? "FLOAT" : "DOUBLE";
    case Type.Decimal: {
      const { precision, scale } = t as unknown as { precision: number; scale: number };
      return `DECIMAL(${precision},${scale})`;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return "VARCHAR";
    case Type.Binary:
    case Type.LargeBinary:
      return "BLOB";
    case Type.Date:
      return "DATE";
    case Type.Timestamp:
      return "TIMESTAMP";
    case Type.Time:
      return "TIME";
    case Type.Interval:
    case Type.Duration:
      return "INTERVAL";
    case Type.List:
    case Type.FixedSizeList:
      return `${duckdbTypeName((t as unknown as { children: Field[] }).children[0])}[]`;
    case Type.Struct:
      return "STRUCT";
    case Type.Map:
      return "MAP";
    case Type.Null:
      return "NULL";
    default:
      return String(t);
  }
}

export function rowsOf(batch: RecordBatch, limit = Number.POSITIVE_INFINITY): Row[] {
  const n = Math.min(batch.numRows, limit);
  const fields = batch.schema.fields;
  const vectors = fields.map((_, i) => batch.getChildAt(i));
  const rows: Row[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) row[fields[c].name] = plainValue(vectors[c]?.get(r), fields[c].type as DataType);
    rows[r] = row;
  }
  return rows;
}

function plainValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Int:
      return typeof value === "bigint" ? bigintToPlain(value) : value;
    case Type.Date:
      return typeof value === "number"
        ? new Date(value).toISOString().slice(0, 10)
        : value instanceof Date
          ? value.toISOString().slice(0, 10)
          : value;
    case Type.Timestamp:
      return typeof value === "number"
        ? new Date(value).toISOString()
        : typeof value === "bigint"
          ? new Date(Number(value)).toISOString()
          : value;
    case Type.Decimal:
      return typeof value === "number" ? value : Number(String(value));
    case Type.List:
    case Type.FixedSizeList: {
      const child = (type as unknown as { children: Field[] }).children[0].type as DataType;
      return Array.from(value as Iterable<unknown>, (v) => plainValue(v, child));
    }
    case Type.Struct: {
      const json = (value as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? value;
      return JSON.parse(JSON.stringify(json, (_k, v) => (typeof v === "bigint" ? bigintToPlain(v) : v)));
    }
    default:
      return typeof value === "bigint" ? bigintToPlain(value) : value;
  }
}

function bigintToPlain(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}
