/**
 * A dataset slice (fields × periods × locations) as an ADX document, read from the current version's file with native
 * DuckDB and streamed through writeAdx, so a large slice never sits in memory as one string. Filters are bound
 * parameters, never spliced; a location filter takes the location and everything under it.
 */
import { PassThrough, Readable, type Writable } from "node:stream";
import { DuckDBInstance } from "@duckdb/node-api";
import { type AdxExportSummary, writeAdx } from "../../connectors/adx/index.ts";
import type { Observation, PeriodType } from "../../connectors/core/types.ts";

export interface AdxSlice {
  fields: string[];
  periods: string[];
  locations: string[];
}

const MAX_ITEMS = 1_000;

/** `?fields=a,b&periods=2024Q1&locations=x` (repeated or comma-separated) → a slice; empty lists mean "all". */
export function parseAdxSlice(search: URLSearchParams): AdxSlice {
  const list = (name: string) => {
    const items = search
      .getAll(name)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
    if (items.length > MAX_ITEMS) throw new RangeError(`${name}: at most ${MAX_ITEMS} items`);
    return [...new Set(items)];
  };
  return { fields: list("fields"), periods: list("periods"), locations: list("locations") };
}

/** The slice's query: every value bound by position. Sorted by location and period so each ADX group is whole. */
export function adxSliceQuery(slice: AdxSlice): { sql: string; params: string[] } {
  const params: string[] = [];
  const placeholders = (items: string[]) =>
    items
      .map((item) => {
        params.push(item);
        return `$${params.length}`;
      })
      .join(", ");
  const where: string[] = [];
  if (slice.fields.length) where.push(`o.field_id IN (${placeholders(slice.fields)})`);
  if (slice.periods.length) where.push(`o.period_id IN (${placeholders(slice.periods)})`);
  if (slice.locations.length) {
    // The location itself or any descendant: its id is one segment of the descendant's path.
    const ids = placeholders(slice.locations);
    where.push(
      `o.location_id IN (SELECT l.location_id FROM d.locations l WHERE list_has_any(string_split(l.path, '/'), [${ids}]) OR l.location_id IN (${ids}))`,
    );
  }
  const sql = `SELECT o.source, o.field_id, o.disaggregation, o.location_id, o.period_type, o.period_id,
      strftime(o.period_start, '%Y-%m-%d') AS period_start, strftime(o.period_end, '%Y-%m-%d') AS period_end,
      o.value, o.value_text
    FROM d.observations o${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
    ORDER BY o.location_id, o.period_start, o.period_type, o.field_id, o.disaggregation NULLS FIRST`;
  return { sql, params };
}

type Row = Record<string, string | number | null>;

function toObservation(r: Row): Observation {
  return {
    source: String(r.source),
    field_id: String(r.field_id),
    disaggregation: r.disaggregation === null ? null : String(r.disaggregation),
    location_id: String(r.location_id),
    period_type: r.period_type as PeriodType,
    period_id: String(r.period_id),
    period_start: String(r.period_start),
    period_end: String(r.period_end),
    value: r.value === null ? null : Number(r.value),
    value_text: r.value_text === null ? null : String(r.value_text),
  };
}

/** Streams the slice of a dataset file to `out` as ADX and ends it; resolves with what was written. */
export async function writeAdxSlice(
  filePath: string,
  slice: AdxSlice,
  out: Writable,
  options: { dataSet?: string; exported?: string } = {},
): Promise<AdxExportSummary> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run("SET autoinstall_known_extensions=false; SET autoload_known_extensions=false");
    await conn.run(`ATTACH '${filePath.replaceAll("'", "''")}' AS d (READ_ONLY)`);
    const { sql, params } = adxSliceQuery(slice);
    const result = await conn.stream(sql, params);
    async function* batches(): AsyncGenerator<Observation[]> {
      for await (const rows of result.yieldRowObjectJson()) yield (rows as Row[]).map(toObservation);
    }
    return await writeAdx(out, batches(), options);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The same as a web stream for a Response body; `onDone` hears the summary (for the audit log) or the error. */
export function adxSliceStream(
  filePath: string,
  slice: AdxSlice,
  onDone: (summary: AdxExportSummary | null, error?: unknown) => void,
  options: { dataSet?: string } = {},
): ReadableStream<Uint8Array> {
  const pass = new PassThrough();
  writeAdxSlice(filePath, slice, pass, options).then(
    (summary) => onDone(summary),
    (error) => {
      onDone(null, error);
      pass.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  // toWeb keeps Node's backpressure: DuckDB is read only as fast as the client downloads.
  return Readable.toWeb(pass) as ReadableStream<Uint8Array>;
}
