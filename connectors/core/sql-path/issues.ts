/**
 * Counts, issues and the unmatched report of a SQL-path run, in the JS path's words and order. The JS path reports,
 * batch by batch (the csv connector's batch size): the connector's short-row warnings (the first 200 of the run),
 * then the harmonizer's rejections, then its "kept as text" warnings (per record, in value-column order); then "N more
 * row problems" at the very end. Only the first MAX_LISTED in that order are fetched; all are counted.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { UnmatchedReport } from "../../harmonize/locations/index.ts";
import { type ColumnMapping, REJECT_REASONS, rejectionMessage, textValueWarning } from "../../harmonize/mapping/index.ts";
import type { RunIssue, SourcePlace } from "../types.ts";
import { fileRows } from "./file-rows.ts";
import type { Maps } from "./maps.ts";
import type { CsvSqlPlan } from "./plan.ts";
import { emittedSql, STATUS, type ValueCell } from "./views.ts";

/** The csv connector's cap on row problems it lists (connectors/csv/extract.ts MAX_ROW_ISSUES). */
const MAX_ROW_ISSUES = 200;

export interface SqlRunOutcome {
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  skippedBlank: number;
  /** In the JS path's order; at most `maxListed`. */
  issues: RunIssue[];
  issueCount: number;
  locationsCovered: number;
  periodStart: string | null;
  periodEnd: string | null;
}

const fmt = (n: number) => n.toLocaleString("en");

async function rowsOf(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRows();
}

export async function collectOutcome(
  connection: DuckDBConnection,
  plan: CsvSqlPlan,
  mapping: ColumnMapping,
  maps: Maps,
  cells: ValueCell[],
  unmatched: UnmatchedReport,
  maxListed: number,
  signal: AbortSignal,
): Promise<SqlRunOutcome> {
  const ok = `status = ${STATUS.ok}`;
  const emitted = emittedSql(mapping, cells);
  const keep = mapping.values.blanks === "keep";
  const sum = (parts: string[]) => parts.join(" + ");
  const [counts] = await rowsOf(
    connection,
    `SELECT count(*), count(*) FILTER (status <> ${STATUS.ok}), count(*) FILTER (found IS NOT NULL),
       ${sum(cells.map((c) => `count(*) FILTER (${ok} AND ${keep ? "false" : `blank${c.k}`})`))},
       ${sum(cells.map((c) => `count(*) FILTER (${ok} AND text${c.k} IS NOT NULL)`))},
       ${sum(cells.map((c) => `count(*) FILTER (${ok}${keep ? "" : ` AND NOT blank${c.k}`})`))},
       count(DISTINCT location_id) FILTER (${emitted}), min(period_start) FILTER (${emitted}),
       max(period_end) FILTER (${emitted})
     FROM harmonized`,
  );
  const [rowsIn, rowsRejected, shortRows, skippedBlank, textCells, rowsOut, covered] = counts.slice(0, 7).map(Number);
  signal.throwIfAborted();

  // The first MAX_LISTED issues in the JS path's order: per batch, short rows, rejections, text warnings.
  type Candidate = { idx: number; phase: number; k: number; ref: number };
  const candidates: Candidate[] = [];
  const lists: string[] = [];
  if (shortRows > 0) {
    lists.push(`(SELECT idx, 0 AS phase, 0 AS k, found AS ref FROM harmonized WHERE found IS NOT NULL
      ORDER BY idx LIMIT ${MAX_ROW_ISSUES})`);
  }
  if (rowsRejected > 0) {
    lists.push(`(SELECT idx, 1 AS phase, status AS k,
        CASE status WHEN ${STATUS.location} THEN lid WHEN ${STATUS.period} THEN pid ELSE fid END AS ref
      FROM harmonized WHERE status <> ${STATUS.ok} ORDER BY idx LIMIT ${maxListed})`);
  }
  if (textCells > 0) {
    const perCell = cells.map(
      (c) => `SELECT idx, 2 AS phase, ${c.k} AS k, vid${c.k} AS ref FROM harmonized
      WHERE ${ok} AND text${c.k} IS NOT NULL`,
    );
    lists.push(`(SELECT * FROM (${perCell.join(" UNION ALL ")}) ORDER BY idx, k LIMIT ${maxListed})`);
  }
  if (lists.length > 0) {
    const batch = Math.max(1, plan.batchSize);
    const rows = await rowsOf(
      connection,
      `SELECT idx, phase, k, ref FROM (${lists.join(" UNION ALL ")})
       ORDER BY idx // ${batch}, phase, idx, k LIMIT ${maxListed}`,
    );
    for (const [idx, phase, k, ref] of rows) {
      candidates.push({ idx: Number(idx), phase: Number(phase), k: Number(k), ref: Number(ref) });
    }
  }
  signal.throwIfAborted();

  // Unmatched values: rows per distinct location combination, and the first record naming it.
  const firstUnmatched: Array<{ lid: number; count: number; idx: number }> = [];
  if (maps.anyUnmatched) {
    const rows = await rowsOf(
      connection,
      `SELECT lid, count(*), min(idx) FROM harmonized WHERE loc_status = 2 GROUP BY lid ORDER BY min(idx)`,
    );
    for (const [lid, count, idx] of rows) firstUnmatched.push({ lid: Number(lid), count: Number(count), idx: Number(idx) });
  }

  const needed = [...new Set([...candidates.map((c) => c.idx), ...firstUnmatched.map((u) => u.idx)])];
  const rowOf = await fileRows(plan.config, plan.dialect.header, needed, signal);
  const place = (idx: number, column?: string): SourcePlace => {
    const p: SourcePlace = { file: plan.file, row: rowOf.get(idx) as number };
    if (column !== undefined) p.column = column;
    return p;
  };

  for (const u of firstUnmatched) {
    const reading = maps.locations[u.lid].reading;
    if (reading.ok || reading.kind !== "unmatched") continue;
    const described = { value: reading.value, parent: reading.parent, level: reading.level };
    unmatched.add(described, reading.result, place(u.idx, reading.column));
    for (let i = 1; i < u.count; i++) unmatched.add(described, reading.result, place(u.idx, reading.column));
  }

  const issues = candidates.map((c) => issueOf(c, plan, mapping, maps, cells, place));
  const listedShort = Math.min(shortRows, MAX_ROW_ISSUES);
  let issueCount = listedShort + rowsRejected + textCells;
  if (shortRows > MAX_ROW_ISSUES) {
    issueCount++;
    if (issues.length < maxListed) {
      const message = `file ${plan.file}: ${fmt(shortRows - MAX_ROW_ISSUES)} more row problems not listed`;
      issues.push({ severity: "warning", message, place: { file: plan.file } });
    }
  }
  return {
    rowsIn,
    rowsOut,
    rowsRejected,
    skippedBlank,
    issues,
    issueCount,
    locationsCovered: covered,
    periodStart: counts[7] === null ? null : String(counts[7]),
    periodEnd: counts[8] === null ? null : String(counts[8]),
  };
}

function issueOf(
  c: { idx: number; phase: number; k: number; ref: number },
  plan: CsvSqlPlan,
  mapping: ColumnMapping,
  maps: Maps,
  cells: ValueCell[],
  place: (idx: number, column?: string) => SourcePlace,
): RunIssue {
  if (c.phase === 0) {
    // The csv connector's words for a short row (connectors/csv/read.ts), kept with a padded record.
    const at = place(c.idx);
    const message = `file ${plan.file}, row ${fmt(at.row as number)}: expected ${plan.columns.length} fields, found ${c.ref}; missing ones left empty`;
    return { severity: "warning", message, place: at };
  }
  if (c.phase === 2) return textValueWarning(place(c.idx, cells[c.k].column), maps.values[c.ref]);
  let column: string;
  let raw: string;
  let why: string;
  if (c.k === STATUS.location) {
    const { reading, cells: locationCells } = maps.locations[c.ref];
    if (reading.ok) throw new Error("a matched location was listed as rejected");
    if (reading.kind === "empty") {
      column = mapping.location[0].column;
      raw = locationCells[column];
      why = REJECT_REASONS.noLocation;
    } else {
      column = reading.column;
      raw = reading.value;
      why = reading.why;
    }
  } else if (c.k === STATUS.period) {
    column = mapping.period.column;
    raw = maps.periods[c.ref].raw;
    why = maps.periods[c.ref].why as string;
  } else {
    column = mapping.layout.kind === "long" ? mapping.layout.fieldColumn : "";
    raw = maps.fields[c.ref];
    why = REJECT_REASONS.unknownField;
  }
  const at = place(c.idx, column);
  return { severity: "error", message: rejectionMessage(at, raw, why), place: at };
}
