import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { attachForWriting, checkpointAndDetach, openDuckDB, sqlIdentifier, sqlString } from "./duckdb.ts";
import { fsyncPath } from "./durable-fs.ts";
import { SLICES_DIR } from "./publish-version.ts";
import { removeDatabaseFile } from "./write-dataset.ts";

/**
 * Row-level access by location subtree (DESIGN.md security model): a user restricted to some subtrees is served a slice
 * file holding only the locations under them and their observations; every other table is copied whole. The slice has
 * the same tables, columns, sort order and storage version as the version file, so notebooks run unchanged on it.
 *
 * An allowed path "/C1/R2" admits "/C1/R2" itself and everything below it ("/C1/R2/…"), never a sibling "/C1/R22".
 * An empty restriction yields an empty slice (deny by default), not the whole dataset.
 */
export function normalizeAllowedPaths(allowedPaths: readonly string[]): string[] {
  const normalized = allowedPaths.map((p) => {
    const trimmed = p.trim().replace(/\/+$/, "");
    if (!trimmed.startsWith("/") || trimmed.includes("//")) {
      throw new Error(`allowed location path '${p}' must look like '/rootId/childId'`);
    }
    return trimmed;
  });
  return [...new Set(normalized)].sort();
}

/** `<slug dir>/slices/v<N>-<hash>.duckdb`: named by the version and a hash of the sorted restriction, so it is a cache key. */
export function sliceFilePath(versionFile: string, allowedPaths: readonly string[]): string {
  const hash = createHash("sha256")
    .update(JSON.stringify(normalizeAllowedPaths(allowedPaths)))
    .digest("hex")
    .slice(0, 20);
  const version = path.basename(versionFile, ".duckdb");
  return path.join(path.dirname(versionFile), SLICES_DIR, `${version}-${hash}.duckdb`);
}

/** The slice for this restriction, built on first use. Concurrent builders write identical files; the last rename wins. */
export async function ensureSlice(versionFile: string, allowedPaths: readonly string[]): Promise<string> {
  const sliceFile = sliceFilePath(versionFile, allowedPaths);
  if (!existsSync(sliceFile)) await buildSlice(versionFile, sliceFile, allowedPaths);
  return sliceFile;
}

export interface SliceSummary {
  sliceFile: string;
  bytes: number;
  locations: number;
  observations: number;
}

/** Build `sliceFile` from `versionFile` atomically (temp file in the same directory, fsync, rename, fsync directory). */
export async function buildSlice(versionFile: string, sliceFile: string, allowedPaths: readonly string[]): Promise<SliceSummary> {
  const prefixes = normalizeAllowedPaths(allowedPaths);
  if (!existsSync(versionFile)) throw new Error(`slice of ${versionFile}: the version file does not exist`);
  const sliceDir = path.dirname(sliceFile);
  await mkdir(sliceDir, { recursive: true });
  const tmpPath = path.join(sliceDir, `.tmp-${randomBytes(8).toString("hex")}.duckdb`);
  const db = await openDuckDB(":memory:", `${tmpPath}.spill`);
  let counts: { locations: number; observations: number };
  try {
    counts = await copyFiltered(db.connection, versionFile, tmpPath, prefixes);
  } catch (error) {
    await removeDatabaseFile(tmpPath);
    throw new Error(`slice of ${versionFile}: ${(error as Error).message}`, { cause: error });
  } finally {
    db.close();
    await rm(`${tmpPath}.spill`, { recursive: true, force: true });
  }
  await fsyncPath(tmpPath);
  await rename(tmpPath, sliceFile);
  await fsyncPath(sliceDir);
  return { sliceFile, bytes: (await stat(sliceFile)).size, ...counts };
}

async function copyFiltered(
  connection: Awaited<ReturnType<typeof openDuckDB>>["connection"],
  versionFile: string,
  tmpPath: string,
  prefixes: string[],
): Promise<{ locations: number; observations: number }> {
  await connection.run(`ATTACH ${sqlString(versionFile)} AS src (READ_ONLY)`);
  await attachForWriting(connection, tmpPath, "dst");
  await connection.run("CREATE TEMP TABLE allowed_prefix (prefix VARCHAR NOT NULL)");
  const appender = await connection.createAppender("allowed_prefix", "main", "temp");
  for (const prefix of prefixes) {
    appender.appendVarchar(prefix);
    appender.endRow();
  }
  appender.closeSync();

  const tables = (
    await connection.runAndReadAll(
      "SELECT table_name, sql FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = 'main' ORDER BY table_name",
    )
  ).getRowObjectsJS() as Array<{ table_name: string; sql: string }>;
  const names = tables.map((t) => t.table_name);
  for (const required of ["observations", "locations"]) {
    if (!names.includes(required)) throw new Error(`table ${required} is missing`);
  }
  // Recreate each table from its own DDL so constraints and column types stay exactly as in the version file.
  await connection.run("USE dst");
  for (const table of tables) await connection.run(table.sql);
  await connection.run("USE memory");

  for (const { table_name: name } of tables) {
    const id = sqlIdentifier(name);
    let where = "";
    if (name === "locations") {
      where =
        "WHERE EXISTS (SELECT 1 FROM temp.allowed_prefix a WHERE t.path = a.prefix OR starts_with(t.path, a.prefix || '/'))";
    } else if (name === "observations") {
      where = "WHERE t.location_id IN (SELECT location_id FROM dst.locations)";
    }
    // ORDER BY rowid keeps the version file's row order (field, then period), which keeps range reads selective.
    await connection.run(`INSERT INTO dst.${id} SELECT * FROM src.${id} t ${where} ORDER BY t.rowid`);
  }
  const [row] = (
    await connection.runAndReadAll(
      "SELECT (SELECT count(*) FROM dst.locations) AS locations, (SELECT count(*) FROM dst.observations) AS observations",
    )
  ).getRowObjectsJS();
  await checkpointAndDetach(connection, "dst");
  await connection.run("DETACH src");
  return { locations: Number(row.locations), observations: Number(row.observations) };
}
