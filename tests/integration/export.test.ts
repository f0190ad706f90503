/**
 * POST /notebooks/:id/export against the real server: a published dataset, a notebook, and exports re-run on native
 * DuckDB with bound parameters. Refusals: anonymous, non-members, non-SELECT SQL, unknown datasets, cross-site posts.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, publishMalaria } from "../helpers/pipeline.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

const work = mkdtempSync(path.join(tmpdir(), "harmony-export-it-"));
const SQL = `SELECT location_id, period_id, value
FROM malaria.observations
WHERE field_id = $field AND period_id IN (SELECT unnest($periods))
ORDER BY location_id, period_id`;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("the notebook export route", () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  let analyst: HttpClient;
  let viewer: HttpClient;
  let admin: HttpClient;
  let notebookId = "";
  let datasetFile = "";

  const post = (client: HttpClient, body: unknown, id = notebookId, init: { origin?: string | null } = {}) =>
    client.request(`/notebooks/${id}/export`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
      ...init,
    });
  const exportBody = (extra: Record<string, unknown> = {}) => ({
    cell: "cases by period",
    sql: SQL,
    params: { field: "malaria_confirmed", periods: ["202401", "202402"] },
    datasets: ["malaria"],
    format: "parquet",
    ...extra,
  });

  beforeAll(async () => {
    datasetFile = await publishMalaria(dataDir, work);
    server = await startServer({ dataDir });
    analyst = new HttpClient(server.url);
    viewer = new HttpClient(server.url);
    admin = new HttpClient(server.url);
    expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).status).toBe(302);
    expect((await admin.signIn(ADMIN.email, ADMIN.password)).status).toBe(302);
    const created = await analyst.form("/notebooks?index", { intent: "create", title: "Malaria — Bo / 2024" });
    expect(created.status).toBe(302);
    notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(notebookId).not.toBe("");
    // Deny by default: no grant on the dataset, no export of it (even from one's own notebook).
    expect((await post(analyst, exportBody())).status).toBe(403);
    grantDataset(dataDir, "malaria", ANALYST.email);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("streams the cell's full result as Parquet, equal to the same query on the dataset file", async () => {
    const response = await post(analyst, exportBody());
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    expect(response.headers.get("content-disposition")).toContain("filename*=UTF-8''Malaria-Bo-2024_cases-by-period.parquet");
    const file = path.join(work, "export.parquet");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const exported = await query(`SELECT * FROM '${file}'`);
    const expected = await query(
      `ATTACH '${datasetFile}' AS malaria (READ_ONLY); ${SQL.replace("$field", "'malaria_confirmed'").replace("unnest($periods)", "unnest(['202401', '202402'])")}`,
    );
    expect(exported.length).toBeGreaterThan(0);
    expect(exported).toEqual(expected);
    expect(Number(response.headers.get("x-export-rows"))).toBe(exported.length);
  });

  it("exports CSV too, and writes every export to the audit log", async () => {
    const response = await post(analyst, exportBody({ format: "csv", params: { field: "malaria_tested", periods: ["202403"] } }));
    expect(response.status).toBe(200);
    const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
    const records = [...parser.push(await response.text()), ...parser.end()].flatMap((i) =>
      i.kind === "record" ? [i.fields] : [],
    );
    expect(records[0]).toEqual(["location_id", "period_id", "value"]);
    expect(records.length).toBeGreaterThan(1);
    expect(records.slice(1).every((r) => r[1] === "202403")).toBe(true);

    const database = openDatabase(dataDir);
    try {
      const entries = database.db
        .select()
        .from(schema.auditLog)
        .where(eq(schema.auditLog.action, "export"))
        .orderBy(desc(schema.auditLog.id))
        .all();
      expect(entries[0]).toMatchObject({
        actorEmail: ANALYST.email,
        target: notebookId,
        detail: { cell: "cases by period", format: "csv", rows: records.length - 1, datasets: ["malaria"] },
      });
      expect(entries[1]).toMatchObject({ detail: { format: "parquet" } });
    } finally {
      database.close();
    }
  });

  it("refuses anonymous users, non-members, unknown notebooks and cross-site posts", async () => {
    const anonymous = await post(new HttpClient(server.url), exportBody());
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/sign-in");
    expect((await post(viewer, exportBody())).status).toBe(403);
    expect((await post(analyst, exportBody(), "no-such-notebook")).status).toBe(403);
    expect((await post(analyst, exportBody(), notebookId, { origin: "https://evil.example" })).status).toBe(403);
    // Admins read every notebook.
    expect((await post(admin, exportBody())).status).toBe(200);
  });

  it("refuses anything but one SELECT, unknown datasets and bad requests, with clear messages", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ sql: "DELETE FROM malaria.observations" }, /Only a SELECT query can be exported/],
      [{ sql: "SELECT 1; DROP TABLE malaria.observations" }, /Only one SELECT statement/],
      [{ sql: "SELECT * FROM read_text('/etc/passwd')" }, /file system operations are disabled/],
      [{ datasets: ["nothing"] }, /Dataset `nothing` has no published version/],
      [{ format: "xlsx" }, /Export request: format/],
      [{ params: { field: { nested: true } } }, /Export request: params/],
      [{ params: {} }, /\$field has no value/],
    ];
    for (const [extra, message] of cases) {
      const response = await post(analyst, exportBody(extra));
      expect(response.status, JSON.stringify(extra)).toBe(400);
      expect(await response.text()).toMatch(message);
    }
    // The dataset is untouched.
    expect((await query(`ATTACH '${datasetFile}' AS d (READ_ONLY); SELECT count(*) > 0 AS ok FROM d.observations`))[0].ok).toBe(
      true,
    );
  });
});
