/**
 * The demo workspace's first minute, against the real server with demo data on: the viewer finds the sample notebook
 * and the published sample report, the report renders server-side with SVG charts and tables, its tile CSV holds the
 * rows native DuckDB computes from the published dataset file; refusals (anonymous readers, the viewer publishing);
 * a restart on the same data directory adds nothing; HARMONY_DEMO_DATA=0 builds no sample.
 */
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NOTEBOOK_ID } from "../../app/demo/sample.server.ts";
import {
  SAMPLE_DEFAULT_DISTRICT,
  SAMPLE_DISTRICTS,
  SAMPLE_NOTEBOOK_TITLE,
  SAMPLE_REPORT,
} from "../../app/demo/sample-notebook.ts";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

const DEMO_ON = { HARMONY_DEMO_DATA: "1" };
const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const occurrences = (html: string, text: string) => html.split(text).length - 1;

const parseCsv = (text: string) => {
  const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
  return [...parser.push(text.replace(/^\uFEFF/, "")), ...parser.end()].flatMap((i) => (i.kind === "record" ? [i.fields] : []));
};

/** ANC 1st visits per chiefdom of a district, straight from the published dataset file. */
async function chiefdomsOf(dataDir: string, district: string): Promise<Map<string, number>> {
  const database = openDatabase(dataDir);
  const dataset = database.db.select().from(schema.datasets).where(eq(schema.datasets.slug, "demo_anc_facilities")).get();
  database.close();
  const file = path.join(dataDir, "datasets", "demo_anc_facilities", `v${dataset?.currentVersion}.duckdb`);
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${file}' AS d (READ_ONLY)`);
    const prepared = await conn.prepare(
      "SELECT l.chiefdom, sum(value)::DOUBLE FROM d.observations JOIN d.locations l USING (location_id) " +
        "WHERE l.district = $1 AND field_id = 'anc_1st_visit' GROUP BY 1",
    );
    prepared.bindVarchar(1, district);
    const reader = await prepared.runAndReadAll();
    return new Map(reader.getRows().map((r) => [String(r[0]), Number(r[1])]));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

function countRows(dataDir: string) {
  const database = openDatabase(dataDir);
  try {
    const { db } = database;
    return {
      notebooks: db.select().from(schema.notebooks).where(eq(schema.notebooks.title, SAMPLE_NOTEBOOK_TITLE)).all().length,
      reports: db.select().from(schema.reports).where(eq(schema.reports.notebookId, SAMPLE_NOTEBOOK_ID)).all().length,
      versions: db.select().from(schema.reportVersions).all().length,
    };
  } finally {
    database.close();
  }
}

describe("the demo workspace's sample notebook and report", () => {
  const dataDir = tempDataDir("harmony-demo-it-");
  let server: RunningServer;
  let viewer: HttpClient;
  let reportId = "";

  beforeAll(async () => {
    server = await startServer({ dataDir, env: DEMO_ON });
    viewer = new HttpClient(server.url);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).status).toBe(302);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("lists the sample notebook to the viewer, who may open it but not publish it", async () => {
    const list = await viewer.request("/notebooks");
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain(SAMPLE_NOTEBOOK_TITLE);
    expect(html).toContain(`/notebooks/${SAMPLE_NOTEBOOK_ID}`);
    expect((await viewer.request(`/notebooks/${SAMPLE_NOTEBOOK_ID}`)).status).toBe(200);
    const publish = await viewer.form(`/notebooks/${SAMPLE_NOTEBOOK_ID}/publish`, { title: "x", visibility: "workspace" });
    expect(publish.status).toBe(403);
    expect((await new HttpClient(server.url).request("/notebooks")).status).toBe(302);
  });

  it("lists the published sample report, which renders charts, district links and a table with rows", async () => {
    const list = await (await viewer.request("/reports")).text();
    const link = new RegExp(`href="/r/([\\w-]+)">${escapeRe(SAMPLE_REPORT.title)}<`).exec(list);
    expect(link, list).not.toBeNull();
    reportId = link?.[1] ?? "";

    const page = await viewer.request(`/r/${reportId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain("report-tile-error");
    const charts = html.match(/<figure class="report-chart"[^>]*>[\s\S]*?<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(SAMPLE_REPORT.tiles.filter((t) => t.cell.endsWith("_chart")).length);
    // The district input is offered as links to precomputed variants, the default one current.
    const districts = /<nav class="report-input" aria-label="District">[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "";
    expect(districts).toMatch(new RegExp(`aria-current="true">${SAMPLE_DEFAULT_DISTRICT}<`));
    expect(occurrences(districts, "<a href=")).toBe(SAMPLE_DISTRICTS.length - 1);
    const table = /<table class="report-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    expect(occurrences(table, "<tr>")).toBeGreaterThan(5);
    expect((await new HttpClient(server.url).request(`/r/${reportId}`)).status).toBe(302);
  });

  it("offers the chiefdoms tile as CSV, per district, holding the rows native DuckDB computes from the dataset", async () => {
    const tile = `t${SAMPLE_REPORT.tiles.findIndex((t) => t.cell === "chiefdoms") + 1}`;
    for (const [district, query] of [
      [SAMPLE_DEFAULT_DISTRICT, ""],
      ["Kenema", "?district=Kenema"],
    ]) {
      const response = await viewer.request(`/r/${reportId}/tile/${tile}.csv${query}`);
      expect(response.status).toBe(200);
      const [header, ...rows] = parseCsv(await response.text());
      expect(header).toEqual(["chiefdom", "anc_1st_visits", "anc_2nd_visits", "anc_2nd_per_100_1st"]);
      const expected = await chiefdomsOf(dataDir, district);
      expect(expected.size, district).toBeGreaterThan(10);
      expect(rows.map((r) => r[0]).sort()).toEqual([...expected.keys()].sort());
      for (const [chiefdom, visits] of rows) expect(Number(visits), chiefdom).toBeCloseTo(expected.get(chiefdom) ?? -1, 3);
    }
    // The page's Kenema variant shows Kenema's chiefdoms, not Bo's.
    const kenema = await (await viewer.request(`/r/${reportId}?district=Kenema`)).text();
    expect(kenema).toMatch(/aria-current="true">Kenema</);
    const shown = new RegExp(`data-tile="${tile}"[\\s\\S]*?</section>`).exec(kenema)?.[0] ?? "";
    for (const chiefdom of (await chiefdomsOf(dataDir, "Kenema")).keys()) expect(shown).toContain(`>${chiefdom}<`);
    expect(shown).not.toContain(">Baoma<");
    expect((await new HttpClient(server.url).request(`/r/${reportId}/tile/${tile}.csv`)).status).not.toBe(200);
  });

  it("shows both to the demo analyst, who owns the notebook and may publish it again", async () => {
    const analyst = new HttpClient(server.url);
    expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    expect(await (await analyst.request("/notebooks?owner=mine")).text()).toContain(SAMPLE_NOTEBOOK_TITLE);
    expect(await (await viewer.request("/notebooks?owner=mine")).text()).not.toContain(SAMPLE_NOTEBOOK_TITLE);
    expect(await (await analyst.request("/reports")).text()).toContain(`/r/${reportId}`);
    expect((await analyst.request(`/notebooks/${SAMPLE_NOTEBOOK_ID}/publish`)).status).toBe(200);
  });

  it("adds nothing when the server restarts on the same data", async () => {
    expect(countRows(dataDir)).toEqual({ notebooks: 1, reports: 1, versions: 1 });
    await server.stop();
    server = await startServer({ dataDir, env: DEMO_ON });
    viewer = new HttpClient(server.url);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).status).toBe(302);
    expect(countRows(dataDir)).toEqual({ notebooks: 1, reports: 1, versions: 1 });
    expect(occurrences(await (await viewer.request("/notebooks")).text(), `>${SAMPLE_NOTEBOOK_TITLE}<`)).toBe(1);
    expect(occurrences(await (await viewer.request("/reports")).text(), `>${SAMPLE_REPORT.title}<`)).toBe(1);
    expect((await viewer.request(`/r/${reportId}`)).status).toBe(200);
  }, 90_000);

  it("builds no sample with HARMONY_DEMO_DATA=0", async () => {
    const bare = await startServer({ env: { HARMONY_DEMO_DATA: "0" } });
    try {
      const analyst = new HttpClient(bare.url);
      expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
      expect(await (await analyst.request("/notebooks")).text()).not.toContain(SAMPLE_NOTEBOOK_TITLE);
      expect(await (await analyst.request("/reports")).text()).not.toContain(SAMPLE_REPORT.title);
      expect(countRows(bare.dataDir)).toEqual({ notebooks: 0, reports: 0, versions: 0 });
    } finally {
      await bare.stop();
    }
  }, 90_000);
});
