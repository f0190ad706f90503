/**
 * Reports against the real server: a published dataset, a notebook built through the collab document, published as
 * a report (SQL reading another cell, a chart, markdown); the page, CSV per tile, views, versions, and refusals
 * (viewer outside the visibility → 403, link-only with and without its token, anonymous → sign-in).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { addCell, connectNotebook, findCell, type NotebookConnection } from "../../collab/index.ts";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { cookieSocket, until } from "../helpers/collab-socket.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, publishMalaria } from "../helpers/pipeline.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

const CASES_SQL = `SELECT period_id, sum(value) AS cases
FROM malaria.observations WHERE field_id = 'malaria_confirmed' GROUP BY period_id ORDER BY period_id`;
const TOP_SQL = "SELECT period_id, cases FROM cases WHERE cases > 0 ORDER BY period_id -- reads the cell `cases`";

const parseCsv = (text: string) => {
  const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
  return [...parser.push(text), ...parser.end()].flatMap((i) => (i.kind === "record" ? [i.fields] : []));
};

describe("published reports", () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-reports-it-"));
  let analyst: HttpClient;
  let viewer: HttpClient;
  let admin: HttpClient;
  let notebookId = "";
  let datasetFile = "";
  const ids = { cases: "", top: "", chart: "", notes: "" };
  let reportId = "";

  const publish = (fields: [string, string][]) =>
    analyst.request(`/notebooks/${notebookId}/publish`, { method: "POST", body: new URLSearchParams(fields) });
  const tileFields = (): [string, string][] => [
    ["cell", ids.notes],
    [`width.${ids.notes}`, "full"],
    [`order.${ids.notes}`, "1"],
    ["cell", ids.chart],
    [`width.${ids.chart}`, "half"],
    [`order.${ids.chart}`, "2"],
    ["cell", ids.top],
    [`width.${ids.top}`, "half"],
    [`order.${ids.top}`, "3"],
  ];

  beforeAll(async () => {
    datasetFile = await publishMalaria(dataDir, work);
    server = await startServer({ dataDir });
    analyst = new HttpClient(server.url);
    viewer = new HttpClient(server.url);
    admin = new HttpClient(server.url);
    expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).status).toBe(302);
    expect((await admin.signIn(ADMIN.email, ADMIN.password)).status).toBe(302);
    grantDataset(dataDir, "malaria", ANALYST.email);
    const created = await analyst.form("/notebooks?index", { intent: "create", title: "Malaria report" });
    notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(notebookId).not.toBe("");

    const conn: NotebookConnection = connectNotebook({
      serverUrl: `ws://127.0.0.1:${server.port}/collab`,
      notebookId,
      WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
      disableBc: true,
      offlineStore: false,
    });
    try {
      await until(() => conn.provider.synced, "the first sync");
      ids.cases = addCell(conn.doc, 9, { kind: "sql", name: "cases", source: CASES_SQL });
      ids.top = addCell(conn.doc, 9, { kind: "sql", name: "top", source: TOP_SQL });
      ids.notes = addCell(conn.doc, 9, {
        kind: "markdown",
        name: "notes",
        source: "# Malaria in Bo\n\nConfirmed cases by month.<script>window.__pwned = 1</script>",
      });
      ids.chart = addCell(conn.doc, 9, { kind: "chart", name: "trend" });
      conn.doc.transact(() => {
        const config = findCell(conn.doc, ids.chart)?.get("config") as Y.Map<unknown>;
        config.set("source", "cases");
        config.set("chart", {
          mark: "bar",
          x: { field: "period_id", type: "ordinal" },
          y: { field: "cases", type: "quantitative" },
        });
      });
      await conn.whenSaved();
    } finally {
      conn.destroy();
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("refuses publishing by a viewer of the notebook and by anonymous readers", async () => {
    const stranger = await viewer.request(`/notebooks/${notebookId}/publish`, {
      method: "POST",
      body: new URLSearchParams([["title", "x"], ["visibility", "workspace"], ...tileFields()]),
    });
    expect(stranger.status).toBe(403);
    const anonymous = await new HttpClient(server.url).request(`/notebooks/${notebookId}/publish`);
    expect(anonymous.status).toBe(302);
  });

  it("publishes for a group first: a viewer outside it gets 403, anonymous goes to sign-in", async () => {
    const database = openDatabase(dataDir);
    const groupId = "g_report_readers";
    database.db.insert(schema.groups).values({ id: groupId, name: "Report readers" }).run();
    database.close();
    const response = await publish([
      ["title", "Malaria in Bo"],
      ["description", "Monthly confirmed cases"],
      ["visibility", "groups"],
      ["group", groupId],
      ...tileFields(),
    ]);
    expect(response.status, await response.clone().text()).toBe(302);
    reportId = /^\/r\/([\w-]+)$/.exec(response.headers.get("location") ?? "")?.[1] ?? "";
    expect(reportId).not.toBe("");
    expect((await viewer.request(`/r/${reportId}`)).status).toBe(403);
    expect((await viewer.request(`/r/${reportId}/tile/t3.csv`)).status).toBe(403);
    const anonymous = await new HttpClient(server.url).request(`/r/${reportId}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/sign-in");
    expect((await analyst.request(`/r/${reportId}`)).status).toBe(200);
  });

  it("republishes for the workspace as version 2: the page shows SVG chart, table, data as of, no engine scripts", async () => {
    const response = await publish([["title", "Malaria in Bo"], ["visibility", "workspace"], ...tileFields()]);
    expect(response.status, await response.clone().text()).toBe(302);
    const page = await viewer.request(`/r/${reportId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain("report-tile-error");
    expect(html).toMatch(/<figure class="report-chart"[^>]*><div class="report-chart-static"><svg/);
    expect(html).toContain('class="report-table"');
    expect(html).toContain("Malaria in Bo");
    expect(html).toMatch(/Malaria \(3 months × 1 years\) — version 1/);
    expect(html).not.toContain("__pwned");
    expect(html).not.toMatch(/duckdb|codemirror/i);
    expect(html).toContain(`/r/${reportId}/v/1`);
    // The second read is the cached render (rendered-page-cache.server.ts) with this response's own CSP nonce.
    const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy") ?? "")?.[1] ?? "";
    const again = await viewer.request(`/r/${reportId}`);
    const cached = await again.text();
    expect(again.headers.get("server-timing")).toMatch(/render;desc="cached"/);
    const [first, second] = [nonceOf(page), nonceOf(again)];
    expect(second).not.toBe(first);
    expect(cached).not.toContain(first);
    expect(cached.split(`nonce="${second}"`).length).toBe(html.split(`nonce="${first}"`).length);
    expect(cached.replaceAll(second, "N")).toBe(html.replaceAll(first, "N"));
    expect((await viewer.request(`/r/${reportId}/v/1`)).status).toBe(200);
    expect((await viewer.request(`/r/${reportId}/v/9`)).status).toBe(404);

    const database = openDatabase(dataDir);
    try {
      const report = database.db.select().from(schema.reports).where(eq(schema.reports.id, reportId)).get();
      expect(report?.currentVersion).toBe(2);
      expect(report?.views).toBeGreaterThanOrEqual(2);
      const version = database.db
        .select()
        .from(schema.reportVersions)
        .where(eq(schema.reportVersions.reportId, reportId))
        .orderBy(desc(schema.reportVersions.version))
        .get();
      expect(version?.datasetVersions).toEqual({ malaria: 1 });
      expect(version?.notebookState?.length).toBeGreaterThan(0);
      const audit = database.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, "report.publish")).all();
      expect(audit).toHaveLength(2);
    } finally {
      database.close();
    }
  });

  it("serves each tile's rows as CSV, equal to the cell's query on the dataset file", async () => {
    const response = await viewer.request(`/r/${reportId}/tile/t3.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const records = parseCsv(await response.text());
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    const expected = (
      await conn.runAndReadAll(
        `ATTACH '${datasetFile}' AS malaria (READ_ONLY); WITH cases AS (${CASES_SQL}) ${TOP_SQL.replace(/--.*$/, "")}`,
      )
    ).getRowObjectsJson() as { period_id: string; cases: number }[];
    conn.closeSync();
    instance.closeSync();
    expect(records[0]).toEqual(["period_id", "cases"]);
    expect(records.length - 1).toBe(expected.length);
    expect(expected.length).toBe(3);
    records.slice(1).forEach((r, i) => {
      expect(r[0]).toBe(expected[i].period_id);
      expect(Number(r[1])).toBeCloseTo(Number(expected[i].cases), 6);
    });
    // The chart tile downloads its source rows too; markdown has none.
    expect((await viewer.request(`/r/${reportId}/tile/t2.csv`)).status).toBe(200);
    expect((await viewer.request(`/r/${reportId}/tile/t1.csv`)).status).toBe(404);
  });

  it("lists the report for the viewer with owner and views", async () => {
    const html = await (await viewer.request("/reports")).text();
    expect(html).toContain(`href="/r/${reportId}"`);
    expect(html).toContain("Malaria in Bo");
  });

  it("link-only: opens with its token (even signed out), not without", async () => {
    const response = await publish([["title", "Malaria in Bo"], ["visibility", "link"], ...tileFields()]);
    expect(response.status).toBe(302);
    const location = response.headers.get("location") ?? "";
    const token = new URL(location, server.url).searchParams.get("token") ?? "";
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    expect((await viewer.request(`/r/${reportId}`)).status).toBe(403);
    // One character changed (never to the same one) is a wrong token.
    const wrong = `${token.slice(0, -1)}${token.endsWith("x") ? "y" : "x"}`;
    expect((await viewer.request(`/r/${reportId}?token=${wrong}`)).status).toBe(403);
    expect((await viewer.request(`/r/${reportId}?token=${token}`)).status).toBe(200);
    const anonymous = new HttpClient(server.url);
    expect((await anonymous.request(`/r/${reportId}`)).status).toBe(302);
    expect((await anonymous.request(`/r/${reportId}?token=${token}`)).status).toBe(200);
    expect((await anonymous.request(`/r/${reportId}/tile/t3.csv?token=${token}`)).status).toBe(200);
    expect((await viewer.request(`/r/${reportId}/tile/t3.csv`)).status).toBe(403);
    expect((await admin.request(`/r/${reportId}`)).status).toBe(200);
    // Not in the viewer's list (they would need the link), but in the owner's.
    expect(await (await viewer.request("/reports")).text()).not.toContain(`/r/${reportId}`);
    expect(await (await analyst.request("/reports")).text()).toContain(`/r/${reportId}`);
  });
});
