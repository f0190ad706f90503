import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { type DuckDBConnection, DuckDBDataChunk, type DuckDBType, INTEGER, VARCHAR } from "@duckdb/node-api";
import type { FieldRow, LocationRow, Observation } from "../core/types.ts";
import { attachForWriting, checkpointAndDetach, disableExtensionAutoload, openDuckDB, sqlIdentifier } from "./duckdb.ts";
import { ObservationCsvStager } from "./observation-csv.ts";
import {
  createTableSql,
  FIELD_COLUMNS,
  levelColumns,
  locationColumns,
  locationValueRows,
  OBSERVATION_COLUMNS,
  OBSERVATION_ORDER,
} from "./schema.ts";

export interface DatasetContent {
  /** Batches as harmonize yields them; consumed once. */
  observations: AsyncIterable<readonly Observation[]> | Iterable<readonly Observation[]>;
  locations: readonly LocationRow[];
  fields: readonly FieldRow[];
}

export interface WriteOptions {
  signal?: AbortSignal;
  /** Called after each staged batch with the number of observations staged so far. */
  onProgress?: (observationsStaged: number) => void;
}

export interface DatasetFileSummary {
  filePath: string;
  bytes: number;
  observations: number;
  locations: number;
  fields: number;
  /** `locations` columns holding the name of each hierarchy level (see schema.ts `levelColumns`). */
  levelColumns: Array<{ level: number; column: string; alias: string | null }>;
  /** Observations whose location_id / field_id has no row in locations / fields: counted, never dropped silently. */
  observationsWithUnknownLocation: number;
  observationsWithUnknownField: number;
}

/** Write one dataset version file (tables observations, locations, fields) with native DuckDB. `filePath` must not exist. */
export async function writeDatasetFile(
  filePath: string,
  content: DatasetContent,
  options: WriteOptions = {},
): Promise<DatasetFileSummary> {
  refuseExisting(filePath);
  const spillDir = `${filePath}.spill`;
  const stager = new ObservationCsvStager(`${filePath}.observations.csv`);
  try {
    for await (const batch of content.observations) {
      options.signal?.throwIfAborted();
      await stager.add(batch);
      options.onProgress?.(stager.rows);
    }
    await stager.finish();
    options.signal?.throwIfAborted();
    const db = await openDuckDB(":memory:", spillDir);
    try {
      return await writeTables(db.connection, filePath, stager.readSql(), content);
    } finally {
      db.close();
    }
  } catch (error) {
    await removeDatabaseFile(filePath);
    throw error;
  } finally {
    await stager.abandon();
    await rm(stager.csvPath, { force: true });
    await rm(spillDir, { recursive: true, force: true });
  }
}

/**
 * The same, for a caller whose observations already sit in a DuckDB table or view of `connection` (e.g. the CSV
 * connector loading with read_csv). Columns are taken by name and cast to the base format's types.
 */
export async function writeDatasetFileFromTable(
  connection: DuckDBConnection,
  table: { name: string; schema?: string; catalog?: string },
  filePath: string,
  rest: Pick<DatasetContent, "locations" | "fields">,
): Promise<DatasetFileSummary> {
  refuseExisting(filePath);
  await disableExtensionAutoload(connection);
  const qualified = [table.catalog, table.schema, table.name]
    .filter((part): part is string => Boolean(part))
    .map(sqlIdentifier)
    .join(".");
  const select = OBSERVATION_COLUMNS.map(([name, type]) => {
    const bare = type.replace(" NOT NULL", "");
    return `CAST(${sqlIdentifier(name)} AS ${bare}) AS ${sqlIdentifier(name)}`;
  }).join(", ");
  try {
    return await writeTables(connection, filePath, `(SELECT ${select} FROM ${qualified})`, rest);
  } catch (error) {
    await removeDatabaseFile(filePath);
    throw error;
  }
}

async function writeTables(
  connection: DuckDBConnection,
  filePath: string,
  observationsSource: string,
  content: Pick<DatasetContent, "locations" | "fields">,
): Promise<DatasetFileSummary> {
  const levels = levelColumns(content.locations);
  const locationRows = locationValueRows(content.locations, levels);
  checkFields(content.fields);
  // A unique alias: the caller's connection may already have other databases attached.
  const alias = `harmony_out_${randomBytes(6).toString("hex")}`;
  const target = sqlIdentifier(alias);
  await attachForWriting(connection, filePath, alias);
  let attached = true;
  try {
    await connection.run(createTableSql(`${target}.observations`, OBSERVATION_COLUMNS));
    const locationCols = locationColumns(levels);
    await connection.run(createTableSql(`${target}.locations`, locationCols));
    await connection.run(createTableSql(`${target}.fields`, FIELD_COLUMNS));
    await appendRows(
      connection,
      alias,
      "locations",
      locationCols.map(([, type]) => (type.startsWith("INTEGER") ? INTEGER : VARCHAR)),
      locationRows,
    );
    await appendRows(
      connection,
      alias,
      "fields",
      FIELD_COLUMNS.map(() => VARCHAR),
      content.fields.map((f) => [f.field_id, f.name, f.description, f.unit, f.source_field_id, f.aggregation]),
    );
    try {
      await connection.run(
        `INSERT INTO ${target}.observations SELECT * FROM ${observationsSource} ORDER BY ${OBSERVATION_ORDER}`,
      );
    } catch (error) {
      throw new Error(`dataset file ${filePath}, table observations: ${(error as Error).message}`, { cause: error });
    }
    const counts = await firstRow(
      connection,
      `SELECT
         (SELECT count(*) FROM ${target}.observations) AS observations,
         (SELECT count(*) FROM ${target}.observations o ANTI JOIN ${target}.locations l USING (location_id)) AS unknown_locations,
         (SELECT count(*) FROM ${target}.observations o ANTI JOIN ${target}.fields f USING (field_id)) AS unknown_fields`,
    );
    await checkpointAndDetach(connection, alias);
    attached = false;
    return {
      filePath,
      bytes: (await stat(filePath)).size,
      observations: Number(counts.observations),
      locations: content.locations.length,
      fields: content.fields.length,
      levelColumns: levels,
      observationsWithUnknownLocation: Number(counts.unknown_locations),
      observationsWithUnknownField: Number(counts.unknown_fields),
    };
  } finally {
    if (attached) await connection.run(`DETACH ${target}`).catch(() => {});
  }
}

async function appendRows(
  connection: DuckDBConnection,
  catalog: string,
  table: string,
  types: DuckDBType[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): Promise<void> {
  const appender = await connection.createAppender(table, "main", catalog);
  try {
    const chunkRows = 2048;
    for (let start = 0; start < rows.length; start += chunkRows) {
      const slice = rows.slice(start, start + chunkRows);
      const chunk = DuckDBDataChunk.create(types, slice.length);
      chunk.setRows(slice as Array<Array<string | number | null>>);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } catch (error) {
    throw new Error(`table ${table}: ${(error as Error).message}`, { cause: error });
  } finally {
    appender.closeSync();
  }
}

async function firstRow(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS()[0] as Record<string, unknown>;
}

function checkFields(fields: readonly FieldRow[]): void {
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    if (!field.field_id) throw new Error(`fields row ${index + 1}: field_id is empty`);
    if (seen.has(field.field_id)) throw new Error(`fields row ${index + 1}: duplicate field_id '${field.field_id}'`);
    if (!field.name) throw new Error(`fields row ${index + 1} (field_id '${field.field_id}'): name is empty`);
    seen.add(field.field_id);
  });
}

function refuseExisting(filePath: string): void {
  if (existsSync(filePath)) throw new Error(`dataset file ${filePath} already exists; versions are never overwritten`);
}

export async function removeDatabaseFile(filePath: string): Promise<void> {
  await rm(filePath, { force: true });
  await rm(`${filePath}.wal`, { force: true });
}
