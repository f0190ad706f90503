import { mkdtempSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, LIST, listValue, VARCHAR } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { INJECTION_CORPUS } from "../../kernel/parameters/injection-corpus.ts";
import { contentDisposition } from "./content-disposition.server.ts";
import { ExportRefused, runNativeExport } from "./native-export.server.ts";

const work = mkdtempSync(path.join(tmpdir(), "harmony-native-export-"));
const datasetFile = path.join(work, "malaria.duckdb");
const secret = path.join(work, "secret.csv");

async function withDuckDB<T>(
  fn: (run: (sql: string) => Promise<Record<string, unknown>[]>, conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    return await fn(async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[], conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  await writeFile(secret, "password\nhunter2\n");
  await withDuckDB(async (run, conn) => {
    await run(`ATTACH '${datasetFile}' AS d`);
    await run(
      "CREATE TABLE d.observations AS SELECT 'F' || (i % 3) AS field_id, DATE '2024-01-01' + INTERVAL (i % 12) MONTH AS period_start, i::DOUBLE AS value FROM range(120) t(i)",
    );
    const insert = await conn.prepare("CREATE TABLE d.names AS SELECT unnest($1) AS name");
    insert.bindList(1, listValue(INJECTION_CORPUS), LIST(VARCHAR));
    await insert.run();
    await run("DETACH d");
  });
});

async function bytesOf(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function readParquet(bytes: Buffer) {
  const file = path.join(work, `read-${Math.random().toString(36).slice(2)}.parquet`);
  await writeFile(file, bytes);
  return withDuckDB((run) => run(`SELECT * FROM '${file}'`));
}

const exportsLeft = () => readdirSync(tmpdir()).filter((n) => n.startsWith("harmony-export-")).length;

describe("runNativeExport", () => {
  it("writes Parquet of the full result with bound parameters and leaves no temp file", async () => {
    const before = exportsLeft();
    const result = await runNativeExport({
      sql: "SELECT field_id, strftime(period_start, '%Y-%m-%d') AS period, sum(value) AS total\nFROM malaria.observations\nWHERE field_id IN (SELECT unnest($fields)) AND period_start >= $from\nGROUP BY ALL ORDER BY ALL -- trailing comment",
      params: { fields: ["F1", "F2"], FROM: "2024-11-01" },
      datasets: { malaria: datasetFile },
      format: "parquet",
    });
    expect(exportsLeft()).toBe(before);
    const rows = await readParquet(await bytesOf(result.body));
    // Month index i % 12 and field i % 3: November rows (i % 12 = 10) are all F1, December rows all F2.
    expect(result.rows).toBe(2);
    expect(rows).toEqual([
      { field_id: "F1", period: "2024-11-01", total: 10 + 22 + 34 + 46 + 58 + 70 + 82 + 94 + 106 + 118 },
      { field_id: "F2", period: "2024-12-01", total: 11 + 23 + 35 + 47 + 59 + 71 + 83 + 95 + 107 + 119 },
    ]);
  });

  it("writes CSV with a header", async () => {
    const result = await runNativeExport({
      sql: "SELECT 'a,b' AS x, 1.5 AS y, NULL AS z;",
      params: {},
      datasets: {},
      format: "csv",
    });
    const text = (await bytesOf(result.body)).toString("utf8");
    const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
    const records = [...parser.push(text), ...parser.end()].flatMap((i) => (i.kind === "record" ? [i.fields] : []));
    expect(records).toEqual([
      ["x", "y", "z"],
      ["a,b", "1.5", ""],
    ]);
  });

  it.each([
    ["DELETE FROM malaria.observations", /Only a SELECT query can be exported/],
    ["SELECT 1; DROP TABLE malaria.observations", /Only one SELECT statement can be exported; the cell's SQL holds 2/],
    ["CREATE TABLE x AS SELECT 1", /Only a SELECT query/],
    ["COPY (SELECT 1) TO '/tmp/x.csv'", /Only a SELECT query/],
    ["ATTACH '/tmp/other.duckdb' AS o", /Only a SELECT query/],
    ["SELEC 1", /does not parse/],
    ["SELECT 1) TO '/tmp/evil.csv' (FORMAT csv); COPY (SELECT 1", /does not parse|Only one SELECT/],
  ])("refuses %s", async (sql, expected) => {
    await expect(runNativeExport({ sql, params: {}, datasets: { malaria: datasetFile }, format: "parquet" })).rejects.toThrow(
      expected,
    );
  });

  it("cannot read server files or attach others from inside a SELECT", async () => {
    for (const sql of [
      `SELECT * FROM read_csv('${secret}')`,
      `SELECT * FROM read_text('${secret}')`,
      "SELECT * FROM '/etc/hostname'",
    ]) {
      await expect(runNativeExport({ sql, params: {}, datasets: {}, format: "parquet" })).rejects.toThrow(
        // Replacement scans of file paths are off too: the path is then just an unknown table.
        /file system operations are disabled|Table with name \/etc\/hostname does not exist/,
      );
    }
  });

  it("refuses a missing parameter by name", async () => {
    const run = runNativeExport({ sql: "SELECT $year AS y", params: {}, datasets: {}, format: "csv" });
    await expect(run).rejects.toThrow(ExportRefused);
    await expect(runNativeExport({ sql: "SELECT $year AS y", params: {}, datasets: {}, format: "csv" })).rejects.toThrow(
      "$year has no value",
    );
  });

  it("binds every corpus value as a value: each matches only itself", async () => {
    for (const value of INJECTION_CORPUS) {
      const result = await runNativeExport({
        sql: "SELECT name FROM malaria.names WHERE name = $name",
        params: { name: value },
        datasets: { malaria: datasetFile },
        format: "parquet",
      });
      const rows = await readParquet(await bytesOf(result.body));
      expect(rows).toEqual(INJECTION_CORPUS.filter((v) => v === value).map((name) => ({ name })));
    }
    const after = await withDuckDB(async (run) => {
      await run(`ATTACH '${datasetFile}' AS d (READ_ONLY)`);
      return run("SELECT table_name FROM duckdb_tables() WHERE database_name = 'd' ORDER BY 1");
    });
    expect(after).toEqual([{ table_name: "names" }, { table_name: "observations" }]);
  });
});

describe("contentDisposition", () => {
  it("gives an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("Kénéma_cas.csv")).toBe(
      `attachment; filename="Kenema_cas.csv"; filename*=UTF-8''K%C3%A9n%C3%A9ma_cas.csv`,
    );
  });
});
