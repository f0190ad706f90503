/** Reads figures back from a DuckDB file, to check that a timed phase loaded everything it was given. */
import { DuckDBInstance } from "@duckdb/node-api";

const OFF = { autoinstall_known_extensions: "false", autoload_known_extensions: "false" };

/** Runs one query against `file` attached read-only as `d`; returns the first row with numbers as JS numbers. */
export async function firstRowOf(file: string, sql: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(":memory:", OFF);
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH '${file.replaceAll("'", "''")}' AS d (READ_ONLY)`);
    const row = (await (await connection.runAndReadAll(sql)).getRowObjectsJS())[0] ?? {};
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export function expectEqual(what: string, actual: number, expected: number): void {
  if (actual !== expected)
    throw new Error(`${what}: got ${actual.toLocaleString("en")}, expected ${expected.toLocaleString("en")}`);
}
