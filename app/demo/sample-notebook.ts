/**
 * The demo workspace's sample notebook: antenatal care (ANC) in Sierra Leone in 2019, over the demo datasets that
 * seed.server.ts publishes (`demo_anc_national_monthly`, `demo_anc_facilities`). It shows every kind of cell a newcomer
 * will use — markdown, an input bound as `$district`, SQL cells reading datasets and each other, chart cells in the
 * builder's format (app/charts/builder.ts, a choropleth map among them) and a table — in the order a story is told: the national trend, districts
 * compared, then one district's chiefdoms and facilities.
 *
 * Pure data plus one Yjs writer, so the seed, the tests and (later) a "new from sample" action share one definition.
 */
import type * as Y from "yjs";
import { addCell, deleteCell, findCell, orderedCellMaps, setTitle } from "../../collab/index.ts";
import type { ChartModel } from "../charts/builder.ts";

export const SAMPLE_NOTEBOOK_TITLE = "ANC in Sierra Leone, 2019 (sample)";

/** The dataset slugs the sample reads (seed.server.ts demoDatasets). */
export const SAMPLE_DATASETS = ["demo_anc_facilities", "demo_anc_national_monthly"] as const;

/** Sierra Leone's districts as named in the demo hierarchy (level 2 of the org units). */
export const SAMPLE_DISTRICTS = [
  "Bo",
  "Bombali",
  "Bonthe",
  "Kailahun",
  "Kambia",
  "Kenema",
  "Koinadugu",
  "Kono",
  "Moyamba",
  "Port Loko",
  "Pujehun",
  "Tonkolili",
  "Western Area",
] as const;

export const SAMPLE_DEFAULT_DISTRICT = "Bo";

export type SampleCell =
  | { kind: "markdown"; name: string; source: string }
  | { kind: "sql"; name: string; source: string }
  | { kind: "input"; name: string; config: Record<string, unknown> }
  | { kind: "chart"; name: string; config: { source: string; chart: ChartModel } };

const INTRO = `# ANC in Sierra Leone, 2019 (sample)

A worked example over the **Sierra Leone (demo)** datasets: how many pregnant women came for their first and second
antenatal care (ANC) visits, nationally by month and per district, chiefdom and health facility.

**How to use it**

- Press **Run all** at the top: the SQL engine starts in your browser and runs every cell (the first run takes a few
  seconds while the engine loads).
- Each SQL cell has a name (\`districts\`, \`chiefdoms\`…); later cells and charts read earlier ones by that name.
- Pick another **district** in the input below: the cells that use \`$district\` run again with the new value. The value
  is a bound parameter, never pasted into the SQL text.
- Edit a query and press **Shift+Enter** to run it. Your changes are saved and shared with everyone who can open this
  notebook (you need to be its owner or an editor to change it — duplicate it from the list to make your own copy).
- **Publish report** turns chosen cells into a page that programme managers open without the SQL engine: the published
  sample report *ANC in Sierra Leone, 2019* is in **Reports**.`;

const MONTHLY_TREND = `SELECT period_start, period_id, value AS anc_1st_visits
FROM demo_anc_national_monthly.observations
WHERE field_id = 'anc_1st_visit'
ORDER BY period_start`;

const DISTRICTS = `SELECT l.district,
  sum(o.value) FILTER (WHERE o.field_id = 'anc_1st_visit') AS anc_1st_visits,
  sum(o.value) FILTER (WHERE o.field_id = 'anc_2nd_visit') AS anc_2nd_visits,
  round(100 * anc_2nd_visits / anc_1st_visits, 1) AS anc_2nd_per_100_1st,
  count(DISTINCT o.location_id) AS facilities
FROM demo_anc_facilities.observations AS o
JOIN demo_anc_facilities.locations AS l USING (location_id)
GROUP BY l.district
ORDER BY anc_1st_visits DESC`;

const CHIEFDOMS = `SELECT l.chiefdom,
  sum(o.value) FILTER (WHERE o.field_id = 'anc_1st_visit') AS anc_1st_visits,
  sum(o.value) FILTER (WHERE o.field_id = 'anc_2nd_visit') AS anc_2nd_visits,
  round(100 * anc_2nd_visits / anc_1st_visits, 1) AS anc_2nd_per_100_1st
FROM demo_anc_facilities.observations AS o
JOIN demo_anc_facilities.locations AS l USING (location_id)
WHERE l.district = $district
GROUP BY l.chiefdom
ORDER BY anc_1st_visits DESC`;

const FACILITIES = `SELECT l.facility, l.chiefdom,
  sum(o.value) FILTER (WHERE o.field_id = 'anc_1st_visit') AS anc_1st_visits,
  sum(o.value) FILTER (WHERE o.field_id = 'anc_2nd_visit') AS anc_2nd_visits
FROM demo_anc_facilities.observations AS o
JOIN demo_anc_facilities.locations AS l USING (location_id)
WHERE l.district = $district
GROUP BY l.facility, l.chiefdom
ORDER BY anc_1st_visits DESC NULLS LAST, l.facility`;

const CONCLUSION = `## What this shows

- **Check the data before the trend.** Three months of the national series (April, May and July 2019) are negative or
  close to zero, while the other months hold about 16,000–24,000 first visits: a reporting problem to follow up in
  DHIS2, not a fall in attendance.
- **Western Area and Bo** see the most first visits; the second-visit rate (\`anc_2nd_per_100_1st\` in the
  \`districts\` table) shows where women do not come back.
- In some chiefdoms second visits outnumber first visits: women referred from elsewhere, or first visits recorded at
  another facility. The notebook's \`facilities\` table is where that starts to show.

*Sample data: the DHIS2 Sierra Leone demo database, as recorded in the fixtures. Not real health data.*`;

const num = (field: string, title: string) => ({ field, type: "quantitative", aggregate: "sum", title, format: ",.0f" }) as const;

/** The cells, in display order. Names are the SQL names later cells and charts use. */
export function sampleCells(): SampleCell[] {
  return [
    { kind: "markdown", name: "intro", source: INTRO },
    { kind: "sql", name: "monthly_trend", source: MONTHLY_TREND },
    {
      kind: "chart",
      name: "trend_chart",
      config: {
        source: "monthly_trend",
        chart: {
          mark: "line",
          title: "ANC 1st visits, Sierra Leone, by month",
          x: { field: "period_start", type: "temporal", timeUnit: "yearmonth", title: "Month", format: "%b %Y" },
          y: num("anc_1st_visits", "ANC 1st visits"),
        },
      },
    },
    { kind: "sql", name: "districts", source: DISTRICTS },
    {
      kind: "chart",
      name: "district_chart",
      config: {
        source: "districts",
        chart: {
          mark: "bar",
          title: "ANC 1st visits by district, 2019",
          x: { field: "district", type: "nominal", sort: "by-value-descending", title: "District" },
          y: num("anc_1st_visits", "ANC 1st visits"),
        },
      },
    },
    {
      kind: "chart",
      name: "district_map",
      config: {
        source: "districts",
        chart: {
          mark: "map",
          title: "ANC 2nd visits per 100 1st visits, 2019",
          // Said on the chart itself, so nobody reads the toy shapes as real borders.
          subtitle: "Demo boundaries: DHIS2's simplified test shapes, not real district borders",
          // The builder shows a map's location and value on x and y; `map` adds how names match and the colours.
          x: { field: "district", type: "nominal", title: "District" },
          y: { field: "anc_2nd_per_100_1st", type: "quantitative", aggregate: "sum", title: "ANC 2nd per 100 1st" },
          map: { location: "district", matchBy: "name", value: "anc_2nd_per_100_1st", scheme: "blues", format: ",.0f" },
        },
      },
    },
    {
      kind: "input",
      name: "district",
      config: { type: "select", label: "District", options: [...SAMPLE_DISTRICTS], default: SAMPLE_DEFAULT_DISTRICT },
    },
    { kind: "sql", name: "chiefdoms", source: CHIEFDOMS },
    {
      kind: "chart",
      name: "chiefdom_chart",
      config: {
        source: "chiefdoms",
        chart: {
          mark: "bar",
          title: "ANC 1st visits by chiefdom in the chosen district",
          x: { field: "chiefdom", type: "nominal", sort: "by-value-descending", title: "Chiefdom" },
          y: num("anc_1st_visits", "ANC 1st visits"),
        },
      },
    },
    { kind: "sql", name: "facilities", source: FACILITIES },
    { kind: "markdown", name: "conclusion", source: CONCLUSION },
  ];
}

/** The sample report: which cells, in which order and width (the grid is thirds, halves and full rows). */
export const SAMPLE_REPORT = {
  title: "ANC in Sierra Leone, 2019",
  description:
    "Sample report of the demo workspace, published from the notebook “ANC in Sierra Leone, 2019 (sample)”: first and " +
    "second antenatal care visits nationally by month, by district, and for the chiefdoms of the district chosen above the charts.",
  visibility: "workspace" as const,
  /** The district input is offered as precomputed variants: links above the tiles switch the district's tiles. */
  variants: ["district"],
  // The notebook's intro is about using the notebook, so the report opens with its own title and description instead.
  tiles: [
    { cell: "trend_chart", width: "half" },
    { cell: "district_chart", width: "half" },
    { cell: "districts", width: "full" },
    { cell: "chiefdom_chart", width: "half" },
    { cell: "chiefdoms", width: "half" },
    { cell: "conclusion", width: "full" },
  ] as const,
};

/**
 * Writes the sample's title and cells into a notebook document that holds only the new-notebook seed (its empty first
 * cell is removed), in one transaction. Returns the cells' ids by name.
 */
export function writeSampleNotebook(doc: Y.Doc): Map<string, string> {
  const ids = new Map<string, string>();
  doc.transact(() => {
    for (const existing of orderedCellMaps(doc)) deleteCell(doc, String(existing.get("id")), null);
    setTitle(doc, SAMPLE_NOTEBOOK_TITLE, null);
    for (const [at, cell] of sampleCells().entries()) {
      const id = addCell(doc, at, { kind: cell.kind, name: cell.name, source: "source" in cell ? cell.source : "" }, null);
      ids.set(cell.name, id);
      if ("config" in cell) {
        const config = findCell(doc, id)?.get("config") as Y.Map<unknown>;
        for (const [key, value] of Object.entries(cell.config)) config.set(key, value);
      }
    }
  });
  return ids;
}
