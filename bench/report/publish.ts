/**
 * The benchmark's report: a notebook over the demo workspace's datasets (Sierra Leone, built at server start) with six
 * tiles — a text, three charts and two tables — published for the workspace by the demo analyst through the real
 * publish form, the way the e2e tests do.
 */
import type * as Y from "yjs";
import { addCell, connectNotebook, findCell } from "../../collab/index.ts";
import { cookieSocket, until } from "../../tests/helpers/collab-socket.ts";
import { HttpClient } from "../../tests/helpers/http-client.ts";
import { ANALYST } from "../../tests/helpers/server.ts";

const CELLS: { kind: "sql" | "markdown" | "chart"; name: string; source?: string; chart?: object; tile?: string }[] = [
  {
    kind: "markdown",
    name: "intro",
    source:
      "# Antenatal care, Sierra Leone\n\nANC visits by month and facility, and seven programme indicators per district and quarter (DHIS2 demo data).",
    tile: "full",
  },
  {
    kind: "sql",
    name: "anc_monthly",
    source: "SELECT period_id, sum(value) AS visits FROM demo_anc_national_monthly.observations GROUP BY 1 ORDER BY 1",
  },
  {
    kind: "sql",
    name: "indicators",
    source: `SELECT l.level_2_name AS district, o.period_id AS quarter, f.name AS indicator, round(avg(o.value), 2) AS value
FROM demo_district_indicators.observations o
JOIN demo_district_indicators.locations l USING (location_id)
JOIN demo_district_indicators.fields f USING (field_id)
GROUP BY ALL ORDER BY district, quarter, indicator`,
    tile: "full",
  },
  {
    kind: "sql",
    name: "anc_by_district",
    source: `SELECT l.level_2_name AS district, f.name AS visit, sum(o.value) AS visits
FROM demo_anc_facilities.observations o
JOIN demo_anc_facilities.locations l USING (location_id)
JOIN demo_anc_facilities.fields f USING (field_id)
GROUP BY ALL ORDER BY district, visit`,
  },
  {
    kind: "sql",
    name: "facilities",
    source: `SELECT l.level_2_name AS district, l.name AS facility, sum(o.value) AS anc_visits
FROM demo_anc_facilities.observations o JOIN demo_anc_facilities.locations l USING (location_id)
GROUP BY ALL ORDER BY anc_visits DESC, facility`,
    tile: "half",
  },
  {
    kind: "chart",
    name: "anc_trend",
    chart: { mark: "line", x: { field: "period_id", type: "ordinal" }, y: { field: "visits", type: "quantitative" } },
    source: "anc_monthly",
    tile: "half",
  },
  {
    kind: "chart",
    name: "anc_districts",
    chart: {
      mark: "bar",
      x: { field: "district", type: "nominal" },
      y: { field: "visits", type: "quantitative" },
      colour: { field: "visit", type: "nominal" },
    },
    source: "anc_by_district",
    tile: "half",
  },
  {
    kind: "chart",
    name: "indicator_heatmap",
    chart: {
      mark: "heatmap",
      x: { field: "quarter", type: "ordinal" },
      y: { field: "district", type: "nominal" },
      colour: { field: "value", type: "quantitative", aggregate: "mean" },
    },
    source: "indicators",
    tile: "half",
  },
];

/** The six tiles, top to bottom: text, the three charts, then the two tables. */
const TILE_ORDER = ["intro", "anc_trend", "anc_districts", "indicator_heatmap", "facilities", "indicators"];

/** Publishes the six-tile report; returns its path and how long publishing took. */
export async function publishBenchReport(baseUrl: string, port: number): Promise<{ path: string; publishMs: number }> {
  const analyst = new HttpClient(baseUrl);
  const signIn = await analyst.signIn(ANALYST.email, ANALYST.password);
  if (signIn.status !== 302) throw new Error(`analyst sign-in answered ${signIn.status}`);
  const created = await analyst.form("/notebooks?index", { intent: "create", title: "ANC report (bench)" });
  const notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1];
  if (!notebookId) throw new Error(`creating the notebook answered ${created.status}`);
  const conn = connectNotebook({
    serverUrl: `ws://127.0.0.1:${port}/collab`,
    notebookId,
    WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
    disableBc: true,
    offlineStore: false,
  });
  const ids = new Map<string, string>();
  try {
    await until(() => conn.provider.synced, "the notebook's first sync", 20_000);
    for (const [i, cell] of CELLS.entries()) {
      const id = addCell(conn.doc, i, { kind: cell.kind, name: cell.name, source: cell.kind === "chart" ? "" : cell.source });
      ids.set(cell.name, id);
      if (cell.kind === "chart") {
        conn.doc.transact(() => {
          const config = findCell(conn.doc, id)?.get("config") as Y.Map<unknown>;
          config.set("source", cell.source);
          config.set("chart", cell.chart);
        });
      }
    }
    await conn.whenSaved();
  } finally {
    conn.destroy();
  }
  const fields: [string, string][] = [
    ["title", "ANC in Sierra Leone (bench)"],
    ["visibility", "workspace"],
  ];
  for (const [i, name] of TILE_ORDER.entries()) {
    const cell = CELLS.find((c) => c.name === name);
    const id = ids.get(name);
    if (!cell?.tile || !id) throw new Error(`bench report: no tile cell ${name}`);
    fields.push(["cell", id], [`width.${id}`, cell.tile], [`order.${id}`, String(i + 1)]);
  }
  const started = performance.now();
  const published = await analyst.request(`/notebooks/${notebookId}/publish`, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  const publishMs = performance.now() - started;
  const location = published.headers.get("location");
  if (published.status !== 302 || !location) {
    throw new Error(`publishing answered ${published.status}: ${(await published.text()).slice(0, 500)}`);
  }
  return { path: new URL(location, baseUrl).pathname, publishMs };
}
