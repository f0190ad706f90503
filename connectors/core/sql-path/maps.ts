/**
 * Harmonization per DISTINCT cell value: the harmonizer's own readers (location matcher, period reader, field lookup,
 * value cleaner) run once per distinct raw value of `raw`, and their answers become small DuckDB tables keyed by that
 * raw value. Keys are the cells exactly as read (untrimmed): trimming, case and every other rule stay in the JS
 * readers, so both paths decide alike. The JS-side arrays keep what messages need (raw cell, reason), by map id.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Matcher } from "../../harmonize/locations/index.ts";
import {
  type ColumnMapping,
  cellText,
  createFieldLookup,
  createLocationReader,
  createPeriodReader,
  createValueCleaner,
  type LocationReading,
  REJECT_REASONS,
} from "../../harmonize/mapping/index.ts";
import type { FieldRow, RawValue } from "../types.ts";

type ColumnType = "VARCHAR" | "DOUBLE" | "INTEGER" | "BOOLEAN";

export interface Maps {
  /** By loc_map.lid: the reading, and the raw cells by mapping column. */
  locations: Array<{ reading: LocationReading; cells: Record<string, string> }>;
  /** By period_map.pid: the raw cell and, when it fails, why. */
  periods: Array<{ raw: string; why: string | null }>;
  /** By field_map.fid (long layout). */
  fields: string[];
  /** By value_map.vid. */
  values: string[];
  /** Some location value is unmatched (the unmatched report needs a pass). */
  anyUnmatched: boolean;
}

const id = (s: string) => `"${s.replaceAll('"', '""')}"`;
export const keyOf = (sqlColumn: string) => `coalesce(r.${sqlColumn}, '')`;

async function distinct(connection: DuckDBConnection, sqlColumns: string[]): Promise<string[][]> {
  const sql = `SELECT DISTINCT ${sqlColumns.map((c) => `coalesce(${c}, '')`).join(", ")} FROM raw`;
  return (await connection.runAndReadAll(sql)).getRows().map((r) => r.map((v) => String(v)));
}

/** A small table from JS rows (thousands of rows at most per distinct value set: the row appender is plenty). */
async function mapTable(
  connection: DuckDBConnection,
  name: string,
  columns: Array<[string, ColumnType]>,
  rows: unknown[][],
): Promise<void> {
  await connection.run(`CREATE OR REPLACE TABLE ${name} (${columns.map(([c, t]) => `${id(c)} ${t}`).join(", ")})`);
  const appender = await connection.createAppender(name);
  try {
    for (const row of rows) {
      row.forEach((v, i) => {
        const type = columns[i][1];
        if (v === null || v === undefined) appender.appendNull();
        else if (type === "DOUBLE") appender.appendDouble(v as number);
        else if (type === "INTEGER") appender.appendInteger(v as number);
        else if (type === "BOOLEAN") appender.appendBoolean(v as boolean);
        else appender.appendVarchar(String(v));
      });
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

export async function buildMaps(
  connection: DuckDBConnection,
  mapping: ColumnMapping,
  matcher: Matcher,
  fieldDefs: readonly FieldRow[],
  sqlColumn: (name: string) => string,
): Promise<Maps> {
  // Locations: one reading per distinct combination of the location cells.
  const locationColumns = mapping.location.map((l) => l.column);
  const readLocation = createLocationReader(mapping.location, matcher);
  const locations: Maps["locations"] = [];
  let anyUnmatched = false;
  const locationRows = (await distinct(connection, locationColumns.map(sqlColumn))).map((cells, lid) => {
    const values: Record<string, string> = {};
    locationColumns.forEach((c, i) => {
      values[c] = cells[i];
    });
    const reading = readLocation(values as Record<string, RawValue>);
    locations.push({ reading, cells: values });
    if (!reading.ok && reading.kind === "unmatched") anyUnmatched = true;
    const status = reading.ok ? 0 : reading.kind === "empty" ? 1 : 2;
    return [...cells, lid, status, reading.ok ? reading.locationId : null];
  });
  await mapTable(
    connection,
    "loc_map",
    [
      ...locationColumns.map((_, i) => [`k${i}`, "VARCHAR"] as [string, ColumnType]),
      ["lid", "INTEGER"],
      ["loc_status", "INTEGER"],
      ["location_id", "VARCHAR"],
    ],
    locationRows,
  );

  // Periods: the reader's own cache key is the raw cell, so is ours.
  const readPeriod = createPeriodReader(mapping.period);
  const periods: Maps["periods"] = [];
  const periodRows = (await distinct(connection, [sqlColumn(mapping.period.column)])).map(([raw], pid) => {
    if (cellText(raw).length === 0) {
      periods.push({ raw, why: REJECT_REASONS.noPeriod });
      return [raw, pid, false, null, null, null, null];
    }
    const reading = readPeriod(raw);
    periods.push({ raw, why: reading.ok ? null : reading.reason });
    if (!reading.ok) return [raw, pid, false, null, null, null, null];
    const p = reading.period;
    return [raw, pid, true, p.periodType, p.periodId, p.start, p.end];
  });
  await mapTable(
    connection,
    "period_map",
    [
      ["k", "VARCHAR"],
      ["pid", "INTEGER"],
      ["p_ok", "BOOLEAN"],
      ["period_type", "VARCHAR"],
      ["period_id", "VARCHAR"],
      ["period_start", "VARCHAR"],
      ["period_end", "VARCHAR"],
    ],
    periodRows,
  );

  const fields: string[] = [];
  if (mapping.layout.kind === "long") {
    const lookup = createFieldLookup(fieldDefs);
    const fieldRows = (await distinct(connection, [sqlColumn(mapping.layout.fieldColumn)])).map(([raw], fid) => {
      fields.push(raw);
      return [raw, fid, lookup.get(cellText(raw))?.field_id ?? null];
    });
    await mapTable(
      connection,
      "field_map",
      [
        ["k", "VARCHAR"],
        ["fid", "INTEGER"],
        ["field_id", "VARCHAR"],
      ],
      fieldRows,
    );
  }

  // Values: every value column shares one map.
  const valueColumns = mapping.layout.kind === "long" ? [mapping.layout.valueColumn] : mapping.layout.values.map((v) => v.column);
  const unionSql = `SELECT DISTINCT k FROM (${[...new Set(valueColumns)]
    .map((c) => `SELECT coalesce(${sqlColumn(c)}, '') AS k FROM raw`)
    .join(" UNION ALL ")})`;
  const clean = createValueCleaner(mapping.values);
  const values: string[] = [];
  const valueRows = (await connection.runAndReadAll(unionSql)).getRows().map(([k], vid) => {
    const raw = String(k);
    values.push(raw);
    const v = clean(raw);
    return [raw, vid, typeof v === "number" ? v : null, typeof v === "string" ? v : null, v === null];
  });
  await mapTable(
    connection,
    "value_map",
    [
      ["k", "VARCHAR"],
      ["vid", "INTEGER"],
      ["value", "DOUBLE"],
      ["value_text", "VARCHAR"],
      ["blank", "BOOLEAN"],
    ],
    valueRows,
  );

  if (mapping.disaggregationColumn) {
    const rows = (await distinct(connection, [sqlColumn(mapping.disaggregationColumn)])).map(([raw]) => [
      raw,
      cellText(raw) || null,
    ]);
    await mapTable(
      connection,
      "disagg_map",
      [
        ["k", "VARCHAR"],
        ["disaggregation", "VARCHAR"],
      ],
      rows,
    );
  }
  return { locations, periods, fields, values, anyUnmatched };
}
