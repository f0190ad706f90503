import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

/**
 * Native DuckDB as a resource for the publish step: one instance per operation, closed in `finally`.
 * Extension autoload/autoinstall is off from the first moment (DESIGN.md decision 1): an engine that silently downloads
 * an extension hangs offline and leaks requests to a third party.
 */
export interface OpenedDuckDB {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

export async function openDuckDB(path = ":memory:", tempDirectory?: string): Promise<OpenedDuckDB> {
  const options: Record<string, string> = {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  };
  // Sorting 10M rows may spill; keep the spill files beside the output rather than in the process's working directory.
  if (tempDirectory) options.temp_directory = tempDirectory;
  const instance = await DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  await disableExtensionAutoload(connection);
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Also applied to connections we are handed (writeDatasetFileFromTable): the setting is per instance, re-setting is cheap. */
export async function disableExtensionAutoload(connection: DuckDBConnection): Promise<void> {
  await connection.run("SET autoinstall_known_extensions=false; SET autoload_known_extensions=false");
}

/** A SQL string literal. Only for things DuckDB cannot bind as parameters (file paths in ATTACH/COPY); never user values. */
export function sqlString(value: string): string {
  if (value.includes("\0")) throw new Error(`SQL literal contains a NUL byte: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier (table and column names we generate, e.g. from level names). */
export function sqlIdentifier(name: string): string {
  if (name.includes("\0")) throw new Error(`SQL identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** The storage version DuckDB-WASM 1.32 reads (DESIGN.md decision 1). Every file we write is attached with it. */
export const WASM_STORAGE_VERSION = "v1.4.0";

/** Attach a new database file for writing with the storage version the browser engine reads. */
export async function attachForWriting(connection: DuckDBConnection, filePath: string, alias: string): Promise<void> {
  await connection.run(`ATTACH ${sqlString(filePath)} AS ${sqlIdentifier(alias)} (STORAGE_VERSION '${WASM_STORAGE_VERSION}')`);
}

/** Flush everything into the main file (no WAL left beside it) and release it. */
export async function checkpointAndDetach(connection: DuckDBConnection, alias: string): Promise<void> {
  await connection.run(`CHECKPOINT ${sqlIdentifier(alias)}`);
  await connection.run(`DETACH ${sqlIdentifier(alias)}`);
}
