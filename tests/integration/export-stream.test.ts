/**
 * Streamed exports against the real server (docs/decisions/0012-streamed-exports.md): POST
 * /notebooks/:id/export-tickets issues a one-time ticket for a cell of the STORED notebook (cells written through the
 * collab document), GET /notebooks/:id/export/:ticket streams it from native DuckDB. Covered: single use, binding to
 * user and session, anonymous and cross-site refusals, a restricted analyst's export holding only their district's
 * rows, the audit entry with rows (complete and aborted), a 200k-row CSV parsed back, XLSX/JSON/Parquet.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { desc, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccounts } from "../../app/auth/accounts.server.ts";
import { createNotebookStore } from "../../app/notebooks/store.server.ts";
import { addCell, connectNotebook } from "../../collab/index.ts";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { cookieSocket, until } from "../helpers/collab-socket.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, publishMalaria } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";
import { sierraLeoneHierarchy } from "../helpers/sierra-leone.ts";

const FIELD = { email: "field@harmony.local", password: "field-analyst-pw" };
const CASES_SQL = "SELECT location_id, period_id, value FROM malaria.observations WHERE field_id = $field";
const WITH_PATHS_SQL = `SELECT c.location_id, l.path, c.period_id, c.value
FROM cases c JOIN malaria.locations l USING (location_id) -- reads the cell \`cases\`
ORDER BY l.path, c.period_id`;
// half is a DOUBLE (printed 1, not 1.0); amount a DECIMAL (printed with its scale); note text that looks like a formula.
const BIG_SQL = `SELECT i, 'row ' || i AS label, i / 2 AS half, (i % 100)::DECIMAL(10,2) AS amount,
  CASE WHEN i % 7 = 0 THEN '=cmd' END AS note
FROM range(200000) t(i) ORDER BY i`;
const HUGE_SQL = "SELECT i, repeat('x', 200) AS pad FROM range(20000000) t(i)";

const parseCsv = (text: string) => {
  const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
  const items = [...parser.push(text), ...parser.end()];
  expect(items.filter((i) => i.kind === "error")).toEqual([]);
  return items.flatMap((i) => (i.kind === "record" ? [i.fields] : []));
};

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

describe("streamed exports with download tickets", () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-export-stream-it-"));
  let analyst: HttpClient;
  let field: HttpClient;
  let viewer: HttpClient;
  let notebookId = "";
  let datasetFile = "";
  const ids = { cases: "", withPaths: "", big: "", huge: "" };
  const boPath = sierraLeoneHierarchy().find((l) => l.level === 2 && l.name === "Bo")?.path ?? "";
  const params = { field: "malaria_confirmed" };

  const askTicket = (client: HttpClient, body: Record<string, unknown>, init: { origin?: string | null } = {}) =>
    client.request(`/notebooks/${notebookId}/export-tickets`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
      ...init,
    });
  async function ticketUrl(client: HttpClient, body: Record<string, unknown>): Promise<string> {
    const response = await askTicket(client, body);
    expect(response.status, await response.clone().text()).toBe(201);
    const answer = (await response.json()) as { url: string; fileName: string };
    expect(answer.url).toMatch(new RegExp(`^/notebooks/${notebookId}/export/[\\w-]{43}$`));
    return answer.url;
  }
  const exportEntries = () => {
    const database = openDatabase(dataDir);
    try {
      return database.db
        .select()
        .from(schema.auditLog)
        .where(eq(schema.auditLog.action, "export"))
        .orderBy(desc(schema.auditLog.id))
        .all();
    } finally {
      database.close();
    }
  };

  beforeAll(async () => {
    expect(boPath).toMatch(/^\/\w+\/\w+$/);
    datasetFile = await publishMalaria(dataDir, work);
    server = await startServer({ dataDir });
    const database = openDatabase(dataDir);
    try {
      await createAccounts(database.db).create({ email: FIELD.email, name: "Bo field analyst", role: "analyst" }, FIELD.password);
    } finally {
      database.close();
    }
    analyst = new HttpClient(server.url);
    field = new HttpClient(server.url);
    viewer = new HttpClient(server.url);
    for (const [client, who] of [
      [analyst, ANALYST],
      [field, FIELD],
      [viewer, VIEWER],
    ] as const)
      expect((await client.signIn(who.email, who.password)).status).toBe(302);
    grantDataset(dataDir, "malaria", ANALYST.email);
    grantDataset(dataDir, "malaria", FIELD.email, [boPath]);
    const created = await analyst.form("/notebooks?index", { intent: "create", title: "Malaria — Bo / 2024" });
    notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(notebookId).not.toBe("");
    const shared = openDatabase(dataDir);
    try {
      const fieldId = createAccounts(shared.db).byEmail(FIELD.email)?.id ?? "";
      createNotebookStore(shared.db).setMember(notebookId, fieldId, "viewer");
    } finally {
      shared.close();
    }
    const conn = connectNotebook({
      serverUrl: `ws://127.0.0.1:${server.port}/collab`,
      notebookId,
      WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
      disableBc: true,
      offlineStore: false,
    });
    try {
      await until(() => conn.provider.synced, "the first sync");
      ids.cases = addCell(conn.doc, 9, { kind: "sql", name: "cases", source: CASES_SQL });
      ids.withPaths = addCell(conn.doc, 9, { kind: "sql", name: "with paths", source: WITH_PATHS_SQL });
      ids.big = addCell(conn.doc, 9, { kind: "sql", name: "big", source: BIG_SQL });
      ids.huge = addCell(conn.doc, 9, { kind: "sql", name: "huge", source: HUGE_SQL });
      await conn.whenSaved();
    } finally {
      conn.destroy();
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("streams a 200k-row CSV that parses to the right rows; the audit entry records them", async () => {
    const url = await ticketUrl(analyst, { cellId: ids.big, format: "csv", params: {} });
    const response = await analyst.request(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("filename*=UTF-8''Malaria-Bo-2024_big.csv");
    expect(response.headers.get("content-length")).toBeNull(); // streamed, not buffered
    const records = parseCsv(await response.text());
    expect(records).toHaveLength(200_001);
    expect(records[0]).toEqual(["i", "label", "half", "amount", "note"]);
    expect(records[1]).toEqual(["0", "row 0", "0", "0.00", "'=cmd"]);
    expect(records[3]).toEqual(["2", "row 2", "1", "2.00", ""]);
    expect(records[200_000]).toEqual(["199999", "row 199999", "99999.5", "99.00", ""]);
    const [entry] = exportEntries();
    expect(entry).toMatchObject({
      actorEmail: ANALYST.email,
      target: notebookId,
      detail: { cell: "big", format: "csv", where: "server-stream", outcome: "complete", rows: 200_000 },
    });
  });

  it("uses a ticket once, for its own user and session only", async () => {
    const url = await ticketUrl(analyst, { cellId: ids.cases, format: "csv", params });
    // Another user who reads the notebook, and the same user in another session: as if the ticket did not exist.
    const otherSession = new HttpClient(server.url);
    expect((await otherSession.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    expect((await field.request(url)).status).toBe(404);
    expect((await otherSession.request(url)).status).toBe(404);
    // Someone without the notebook: 403; nobody signed in: 401.
    expect((await viewer.request(url)).status).toBe(403);
    expect((await new HttpClient(server.url).request(url)).status).toBe(401);
    // Nor does a HEAD request (Express would route it to the GET handler).
    expect((await analyst.request(url, { method: "HEAD" })).status).toBe(405);
    // Those attempts did not use it up; its holder downloads once.
    const first = await analyst.request(url);
    expect(first.status).toBe(200);
    expect(parseCsv(await first.text()).length).toBeGreaterThan(1);
    const again = await analyst.request(url);
    expect(again.status).toBe(404);
    expect(await again.text()).toMatch(/expired or was already used/);
    expect((await analyst.request(`/notebooks/${notebookId}/export/not-a-ticket`)).status).toBe(404);
  });

  it("refuses tickets to anonymous users, non-members, cross-site posts, and explains broken requests", async () => {
    const anonymous = await askTicket(new HttpClient(server.url), { cellId: ids.cases, format: "csv", params });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/sign-in");
    expect((await askTicket(viewer, { cellId: ids.cases, format: "csv", params })).status).toBe(403);
    expect(
      (await askTicket(analyst, { cellId: ids.cases, format: "csv", params }, { origin: "https://evil.example" })).status,
    ).toBe(403);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ cellId: "nope", format: "csv", params }, /no cell with id 'nope'/],
      [{ cellId: ids.cases, format: "csv", params: {} }, /\$field has no value/],
      [{ cellId: ids.cases, format: "docx", params }, /Export ticket request: format/],
      [{ cellId: ids.cases, format: "csv", params: { field: { x: 1 } } }, /Export ticket request: params/],
    ];
    for (const [body, message] of cases) {
      const response = await askTicket(analyst, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.text()).toMatch(message);
    }
  });

  it("gives a restricted analyst only their district's rows (their slice), upstream cells inlined", async () => {
    const url = await ticketUrl(field, { cellId: ids.withPaths, format: "csv", params });
    const response = await field.request(url);
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["location_id", "path", "period_id", "value"]);
    const expected = await query(
      `ATTACH '${datasetFile}' AS m (READ_ONLY); SELECT count(*) AS n FROM m.observations o JOIN m.locations l USING (location_id)
       WHERE o.field_id = 'malaria_confirmed' AND (l.path = '${boPath}' OR l.path LIKE '${boPath}/%')`,
    );
    const all = await query(
      `ATTACH '${datasetFile}' AS m (READ_ONLY); SELECT count(*) AS n FROM m.observations WHERE field_id = 'malaria_confirmed'`,
    );
    expect(rows.length).toBe(Number(expected[0].n));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(Number(all[0].n));
    expect(rows.every((r) => r[1] === boPath || r[1].startsWith(`${boPath}/`))).toBe(true);
    const [entry] = exportEntries();
    expect(entry).toMatchObject({
      actorEmail: FIELD.email,
      detail: { cell: "with paths", rows: rows.length, outcome: "complete", restricted: { malaria: [boPath] } },
    });
    // The unrestricted analyst's export of the same cell holds every district.
    const full = await analyst.request(await ticketUrl(analyst, { cellId: ids.withPaths, format: "csv", params }));
    expect(parseCsv(await full.text()).length - 1).toBe(Number(all[0].n));
  });

  it("streams XLSX with typed cells, JSON and Parquet of the same rows", async () => {
    const expected = await query(
      `ATTACH '${datasetFile}' AS malaria (READ_ONLY); ${CASES_SQL.replace("$field", "'malaria_confirmed'")} ORDER BY ALL`,
    );
    const xlsx = await analyst.request(await ticketUrl(analyst, { cellId: ids.cases, format: "xlsx", params }));
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.name).toBe("cases");
    expect(sheet.getRow(1).values).toEqual([undefined, "location_id", "period_id", "value"]);
    expect(sheet.rowCount - 1).toBe(expected.length);
    expect(typeof sheet.getRow(2).getCell(3).value).toBe("number");

    const json = await analyst.request(await ticketUrl(analyst, { cellId: ids.cases, format: "json", params }));
    const rows = (await json.json()) as Record<string, unknown>[];
    const sort = (list: Record<string, unknown>[]) =>
      list.map((r) => `${r.location_id}|${r.period_id}|${Number(r.value)}`).sort();
    expect(sort(rows)).toEqual(sort(expected));

    const parquet = await analyst.request(await ticketUrl(analyst, { cellId: ids.cases, format: "parquet", params }));
    expect(parquet.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const file = path.join(work, "cases.parquet");
    writeFileSync(file, Buffer.from(await parquet.arrayBuffer()));
    expect(sort(await query(`SELECT * FROM '${file}'`))).toEqual(sort(expected));
  });

  it("records an interrupted download as aborted, with the rows sent before, and stops the query", async () => {
    const url = await ticketUrl(analyst, { cellId: ids.huge, format: "csv", params: {} });
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}${url}`, { headers: { Cookie: analyst.cookieHeader() } }, (res) => {
        expect(res.statusCode).toBe(200);
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          // A client that reads 2 MB of a ~4 GB file and goes away.
          if (received > 2 * 1024 * 1024) {
            req.destroy();
            resolve();
          }
        });
        res.on("error", () => undefined);
      });
      req.on("error", (error) => (req.destroyed ? resolve() : reject(error)));
      req.end();
    });
    await until(() => exportEntries()[0]?.detail?.cell === "huge", "the aborted export's audit entry");
    const [entry] = exportEntries();
    expect(entry.detail).toMatchObject({ cell: "huge", outcome: "aborted" });
    // Backpressure: the server stopped near what the client took, not after producing all 20M rows.
    expect((entry.detail as { rows: number }).rows).toBeLessThan(2_000_000);
  });
});
