/**
 * The maps joined back onto `raw`: view `harmonized` (one row per record, with its status the way the row-by-row
 * harmonizer decides it: location, then period, then field) and view `obs` (the base-format observations).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnMapping } from "../../harmonize/mapping/index.ts";
import { sqlText } from "./load.ts";
import { keyOf } from "./maps.ts";

/** Record status codes in `harmonized.status`. */
export const STATUS = { ok: 0, location: 1, period: 2, field: 3 } as const;

export interface ValueCell {
  /** The mapping's value column, and its index among them (the order the harmonizer emits in). */
  column: string;
  k: number;
  fieldSql: string;
  disaggregationSql: string;
}

export function valueCells(mapping: ColumnMapping): ValueCell[] {
  if (mapping.layout.kind === "long") {
    return [{ column: mapping.layout.valueColumn, k: 0, fieldSql: "field_id", disaggregationSql: "row_disaggregation" }];
  }
  return mapping.layout.values.map((v, k) => ({
    column: v.column,
    k,
    fieldSql: sqlText(v.field_id),
    disaggregationSql: v.disaggregation ? sqlText(v.disaggregation) : "row_disaggregation",
  }));
}

export async function createViews(
  connection: DuckDBConnection,
  mapping: ColumnMapping,
  sqlColumn: (name: string) => string,
): Promise<ValueCell[]> {
  const cells = valueCells(mapping);
  const long = mapping.layout.kind === "long";
  const locationOn = mapping.location.map((l, i) => `${keyOf(sqlColumn(l.column))} = lm.k${i}`).join(" AND ");
  const joins = [
    `JOIN loc_map lm ON ${locationOn}`,
    `JOIN period_map pm ON ${keyOf(sqlColumn(mapping.period.column))} = pm.k`,
    long && mapping.layout.kind === "long" ? `JOIN field_map fm ON ${keyOf(sqlColumn(mapping.layout.fieldColumn))} = fm.k` : "",
    mapping.disaggregationColumn ? `JOIN disagg_map dm ON ${keyOf(sqlColumn(mapping.disaggregationColumn))} = dm.k` : "",
    ...cells.map((c) => `JOIN value_map v${c.k} ON ${keyOf(sqlColumn(c.column))} = v${c.k}.k`),
  ];
  const status = `CASE WHEN lm.loc_status <> 0 THEN ${STATUS.location} WHEN NOT pm.p_ok THEN ${STATUS.period}
    ${long ? `WHEN fm.field_id IS NULL THEN ${STATUS.field}` : ""} ELSE ${STATUS.ok} END`;
  const valueSelect = cells
    .map(
      (c) =>
        `v${c.k}.vid AS vid${c.k}, v${c.k}.value AS value${c.k}, v${c.k}.value_text AS text${c.k}, v${c.k}.blank AS blank${c.k}`,
    )
    .join(", ");
  await connection.run(`CREATE OR REPLACE VIEW harmonized AS
    SELECT r.rowid AS idx, r.found, lm.lid, lm.loc_status, lm.location_id,
           pm.pid, pm.period_type, pm.period_id, pm.period_start, pm.period_end,
           ${long ? "fm.fid, fm.field_id" : "NULL::INTEGER AS fid, NULL::VARCHAR AS field_id"},
           ${mapping.disaggregationColumn ? "dm.disaggregation" : "NULL::VARCHAR"} AS row_disaggregation,
           ${valueSelect}, ${status} AS status
    FROM raw r ${joins.join("\n")}`);

  // One scan with a cell number k rather than a UNION ALL per value column: a wide file is read once, and DuckDB 1.5
  // was seen to merge UNION ALL branches that differ only in their projections (the second column's values lost).
  const pick = (of: (c: ValueCell) => string) =>
    cells.length === 1 ? of(cells[0]) : `CASE k ${cells.map((c) => `WHEN ${c.k} THEN ${of(c)}`).join(" ")} END`;
  const keep = mapping.values.blanks === "keep";
  await connection.run(`CREATE OR REPLACE VIEW obs AS
    SELECT ${sqlText(mapping.source)} AS source, ${pick((c) => c.fieldSql)} AS field_id,
      ${pick((c) => c.disaggregationSql)} AS disaggregation, location_id, period_type, period_id, period_start, period_end,
      ${pick((c) => `value${c.k}`)} AS value, ${pick((c) => `text${c.k}`)} AS value_text
    FROM harmonized${cells.length === 1 ? "" : ` CROSS JOIN (SELECT unnest(range(${cells.length})) AS k) cell_numbers`}
    WHERE status = ${STATUS.ok}${keep ? "" : ` AND NOT ${pick((c) => `blank${c.k}`)}`}`);
  return cells;
}

/** An observation is made from cell k of an ok record unless the cell is blank and blanks are skipped. */
export function emittedSql(mapping: ColumnMapping, cells: ValueCell[]): string {
  const keep = mapping.values.blanks === "keep";
  if (keep) return `status = ${STATUS.ok}`;
  return `status = ${STATUS.ok} AND (${cells.map((c) => `NOT blank${c.k}`).join(" OR ")})`;
}
