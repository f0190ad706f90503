/**
 * Re-runs a notebook cell's SQL on native DuckDB and writes the full result with COPY (Parquet or CSV): the browser
 * engine cannot write Parquet offline, and results too big for a tab are exported here.
 *
 * Safety, in order: a fresh in-memory database per export with extension autoload/autoinstall off; each dataset's
 * version file ATTACHed READ_ONLY; file access then switched off (`enable_external_access = false`) except for this
 * export's own temp directory, and the configuration locked, so the SQL cannot read server files (read_text,
 * read_csv…), attach others or undo the settings. The SQL must be exactly one SELECT (DuckDB's parser says so, via
 * json_serialize_sql and the prepared statement's type). Parameter values are bound, never spliced.
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import {
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  LIST,
  listValue,
  StatementType,
  VARCHAR,
} from "@duckdb/node-api";

export type ParamScalar = string | number | boolean | null;
export type ParamValue = ParamScalar | ParamScalar[];

export class ExportRefused extends Error {
  override name = "ExportRefused";
  /** 400: the request or the SQL; 403: the user may not read something the export needs. */
  constructor(
    message: string,
    readonly status: 400 | 403 = 400,
  ) {
    super(message);
  }
}

export interface NativeExportInput {
  sql: string;
  params: Readonly<Record<string, ParamValue>>;
  /** slug → absolute path of the dataset's current version file. */
  datasets: Readonly<Record<string, string>>;
  format: "parquet" | "csv";
}

export interface NativeExportFile {
  /** Streams the file; the file is already unlinked, so it vanishes when the stream closes (even if aborted). */
  body: ReadableStream<Uint8Array>;
  rows: number;
  bytes: number;
}

const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;
export const quoteIdent = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** Exactly one statement, and a SELECT (WITH … SELECT, FROM-first and VALUES included): refuse anything else. */
export async function assertSingleSelect(conn: DuckDBConnection, sql: string): Promise<void> {
  let count: number;
  try {
    count = (await conn.extractStatements(sql)).count;
  } catch (error) {
    throw new ExportRefused(`The cell's SQL does not parse: ${message(error)}`);
  }
  if (count !== 1) throw new ExportRefused(`Only one SELECT statement can be exported; the cell's SQL holds ${count}`);
  const check = await conn.prepare("SELECT json_serialize_sql($1::VARCHAR) AS j");
  check.bindVarchar(1, sql);
  const [row] = (await check.runAndReadAll()).getRowObjectsJson() as { j: string }[];
  const parsed = JSON.parse(row.j) as { error: boolean; error_message?: string };
  if (parsed.error) {
    throw new ExportRefused(
      /Only SELECT/i.test(parsed.error_message ?? "")
        ? "Only a SELECT query can be exported: the cell's SQL is another kind of statement"
        : `The cell's SQL does not parse: ${parsed.error_message}`,
    );
  }
}

export function bindAll(statement: DuckDBPreparedStatement, params: Readonly<Record<string, ParamValue>>) {
  const byLower = new Map(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]));
  for (let i = 1; i <= statement.parameterCount; i++) {
    const name = statement.parameterName(i);
    const value = Object.hasOwn(params, name) ? params[name] : byLower.get(name.toLowerCase());
    if (value === undefined) throw new ExportRefused(`$${name} has no value: send it with the export`);
    if (value === null) statement.bindNull(i);
    else if (Array.isArray(value)) {
      const numeric = value.length > 0 && value.every((v) => typeof v === "number");
      const boolean = value.length > 0 && value.every((v) => typeof v === "boolean");
      const items = numeric || boolean ? value : value.map((v) => (v === null ? null : String(v)));
      statement.bindList(i, listValue(items as never[]), LIST(numeric ? DOUBLE : boolean ? BOOLEAN : VARCHAR));
    } else statement.bindValue(i, value);
  }
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^Error: /, "") : String(error);
}

/**
 * A fresh in-memory native DuckDB for one export, locked down: extension autoload/autoinstall off, `datasets` ATTACHed
 * READ_ONLY under their slugs, file access then switched off (except `scratchDir`, where COPY writes), configuration
 * locked. The caller closes both (connection first). `threads: 1` for streamed results: DuckDB's streaming collector was
 * seen to hand out a later 2,048-row batch of an ORDER BY first when several threads produce them.
 */
export async function openExportDatabase(
  datasets: Readonly<Record<string, string>>,
  scratchDir: string | null,
  options: { threads?: number } = {},
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  const conn = await instance.connect();
  try {
    if (scratchDir) await conn.run(`SET allowed_directories = [${quoteLiteral(`${scratchDir}${path.sep}`)}]`);
    for (const [slug, datasetFile] of Object.entries(datasets)) {
      await conn.run(`ATTACH ${quoteLiteral(datasetFile)} AS ${quoteIdent(slug)} (READ_ONLY)`);
    }
    await conn.run("SET enable_external_access = false");
    await conn.run("SET lock_configuration = true");
    return { instance, conn };
  } catch (error) {
    conn.closeSync();
    instance.closeSync();
    throw error;
  }
}

export async function runNativeExport(input: NativeExportInput): Promise<NativeExportFile> {
  const dir = await mkdtemp(path.join(tmpdir(), "harmony-export-"));
  const file = path.join(dir, `result.${input.format}`);
  let opened: { instance: DuckDBInstance; conn: DuckDBConnection };
  try {
    opened = await openExportDatabase(input.datasets, dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { instance, conn } = opened;
  try {
    await assertSingleSelect(conn, input.sql);
    // The SELECT goes inside COPY on its own lines: a trailing line comment cannot swallow the closing parenthesis,
    // and a statement that parses alone keeps its quotes and parentheses balanced. A trailing ';' is dropped.
    const body = input.sql.trim().replace(/;\s*$/, "");
    const options = input.format === "parquet" ? "FORMAT parquet, COMPRESSION zstd" : "FORMAT csv, HEADER true";
    let statement: DuckDBPreparedStatement;
    try {
      statement = await conn.prepare(`COPY (\n${body}\n) TO ${quoteLiteral(file)} (${options})`);
    } catch (error) {
      throw new ExportRefused(`The cell's SQL failed: ${message(error)}`);
    }
    if (statement.statementType !== StatementType.COPY) throw new ExportRefused("Only a SELECT query can be exported");
    bindAll(statement, input.params);
    let rows = 0;
    try {
      const [row] = (await statement.runAndReadAll()).getRowObjectsJson() as { Count: string | number }[];
      rows = Number(row?.Count ?? 0);
    } catch (error) {
      throw new ExportRefused(`The cell's SQL failed: ${message(error)}`);
    }
    const handle = await open(file, "r");
    const { size } = await handle.stat();
    // Unlinked while open: the bytes stay readable through the handle and disappear with it.
    await rm(dir, { recursive: true, force: true });
    const stream = handle.createReadStream({ autoClose: true });
    return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, rows, bytes: size };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
