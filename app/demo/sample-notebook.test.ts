/**
 * The sample notebook's cells against the real demo dataset files (built by seedDemoWorkspace through the DHIS2
 * connector), on native DuckDB: every SQL cell runs and returns rows — with the input's default through the report's
 * own cell runner, and for every district the input offers — and every chart renders to SVG.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type CellData, readCells, SEED_CELL_ID, seedUpdate } from "../../collab/index.ts";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { type Db, openDatabase } from "../../db/index.ts";
import { inputDefinitionSchema } from "../../kernel/parameters/index.ts";
import { type ChartModel, parseChartModel } from "../charts/builder.ts";
import { prepareMapChartFromDb } from "../charts/map-locations.server.ts";
import { renderChartSvg } from "../charts/render-server.ts";
import { createCellRunner } from "../reports/cell-results.server.ts";
import { inlineUpstream } from "../reports/inline-cells.ts";
import { runTileSql } from "../reports/run-cell.server.ts";
import { tableRefsOf } from "../reports/table-refs.server.ts";
import {
  SAMPLE_DATASETS,
  SAMPLE_DEFAULT_DISTRICT,
  SAMPLE_DISTRICTS,
  SAMPLE_NOTEBOOK_TITLE,
  SAMPLE_REPORT,
  sampleCells,
  writeSampleNotebook,
} from "./sample-notebook.ts";
import { demoDatasets, seedDemoWorkspace } from "./seed.server.ts";

const files: Record<string, string> = {};
let districtNames: string[] = [];
let db: Db;
let closeDb = () => {};
const isMap = (cell: CellData) => (cell.config.chart as ChartModel | undefined)?.mark === "map";

function sampleDoc(): { doc: Y.Doc; cells: CellData[] } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, seedUpdate());
  writeSampleNotebook(doc);
  return { doc, cells: readCells(doc) };
}

beforeAll(async () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "harmony-sample-")), "data");
  const database = openDatabase(dataDir);
  const catalog = createCatalog(database.db, path.join(dataDir, "datasets"));
  const seeded = await seedDemoWorkspace({ catalog, database, config: { dataDir } }, () => {});
  expect(seeded.failed).toEqual([]);
  for (const demo of demoDatasets()) {
    const dataset = catalog.bySlug(demo.slug);
    const version = dataset && catalog.version(dataset.id, dataset.currentVersion as number);
    if (version) files[demo.slug] = path.join(catalog.datasetsDir, version.fileName);
  }
  districtNames = catalog
    .hierarchy()
    .filter((l) => l.level === 2)
    .map((l) => l.name)
    .sort();
  db = database.db;
  closeDb = () => database.close();
}, 60_000);

afterAll(() => closeDb());

describe("the sample notebook", () => {
  it("replaces the new-notebook seed with its title and cells, every kind present", () => {
    const { doc, cells } = sampleDoc();
    expect(doc.getMap("meta").get("title")).toBe(SAMPLE_NOTEBOOK_TITLE);
    expect(cells.map((c) => c.name)).toEqual(sampleCells().map((c) => c.name));
    expect(cells.some((c) => c.id === SEED_CELL_ID)).toBe(false);
    expect(new Set(cells.map((c) => c.kind))).toEqual(new Set(["markdown", "sql", "chart", "input"]));
    for (const tile of SAMPLE_REPORT.tiles) expect(cells.map((c) => c.name)).toContain(tile.cell);
  });

  it("offers exactly the demo hierarchy's districts, defaulting to one of them", () => {
    const { cells } = sampleDoc();
    const input = cells.find((c) => c.kind === "input");
    const parsed = inputDefinitionSchema.parse({ ...input?.config, name: input?.name });
    expect(parsed).toMatchObject({ type: "select", name: "district", default: SAMPLE_DEFAULT_DISTRICT });
    expect([...SAMPLE_DISTRICTS].sort()).toEqual(districtNames);
  });

  it("uses the input only as a bound parameter, never spliced into the SQL text", () => {
    const sql = sampleCells().flatMap((c) => (c.kind === "sql" ? [c.source] : []));
    expect(sql.filter((s) => s.includes("$district"))).toHaveLength(2);
    for (const text of sql) for (const district of SAMPLE_DISTRICTS) expect(text).not.toContain(`'${district}'`);
  });

  it("runs every SQL cell and chart with the input's default, as the published report does", async () => {
    const { cells } = sampleDoc();
    const runner = await createCellRunner({
      cells,
      datasetSlugs: Object.keys(files),
      fileFor: async (slug) => files[slug],
      chartWidth: () => 520,
      mapChart: (model, rows) => prepareMapChartFromDb(db, model, rows),
    });
    for (const cell of cells) {
      const tile = await runner.tileFor(cell, cell.id, "half");
      expect(tile.error, cell.name).toBeUndefined();
      if (cell.kind === "sql") expect(tile.kind === "table" && tile.rows.length, cell.name).toBeGreaterThan(0);
      if (cell.kind === "chart") {
        expect(parseChartModel(cell.config.chart).ok, cell.name).toBe(true);
        expect(tile.kind === "chart" && tile.svg, cell.name).toMatch(/^<svg[\s\S]*<\/svg>$/);
      }
    }
    expect(runner.usedDatasets()).toEqual([...SAMPLE_DATASETS].sort());
  }, 60_000);

  it("maps the districts' second-visit rate on the demo boundaries, naming the district without one", async () => {
    const { cells } = sampleDoc();
    const maps = cells.filter(isMap);
    expect(maps).toHaveLength(1);
    for (const cell of maps) {
      const model = parseChartModel(cell.config.chart);
      if (!model.ok) throw new Error(model.message);
      const source = cells.find((c) => c.name === cell.config.source) as CellData;
      const runner = await createCellRunner({ cells, datasetSlugs: Object.keys(files), fileFor: async (slug) => files[slug] });
      const table = await runner.tileFor(source, source.id, "full");
      if (table.kind !== "table") throw new Error(`${source.name}: ${table.error}`);
      const map = prepareMapChartFromDb(db, model.model, table.rows);
      if ("problem" in map) throw new Error(`${cell.name}: ${map.problem}`);
      expect(map.data).toHaveLength(SAMPLE_DISTRICTS.length - 1);
      expect(map.notice).toMatch(/1 of 13 locations have no boundaries.*Western Area/);
      const rendered = await renderChartSvg(map.spec as object, map.data, { width: 520 });
      if (!rendered.ok) throw new Error(rendered.problems.map((p) => p.message).join("; "));
      expect(rendered.svg.match(/<path/g)?.length ?? 0).toBeGreaterThanOrEqual(map.data.length);
    }
  });

  it("returns rows for every district the input offers", async () => {
    const { cells } = sampleDoc();
    const sqlCells = await Promise.all(
      cells
        .filter((c) => c.kind === "sql")
        .map(async (c) => {
          const refs = await tableRefsOf(c.source);
          if (!refs.ok) throw new Error(`${c.name}: ${refs.message}`);
          return { id: c.id, name: c.name, sql: c.source, tables: refs.tables };
        }),
    );
    const parameterized = sqlCells.filter((c) => c.sql.includes("$district"));
    for (const cell of parameterized) {
      const plan = inlineUpstream(sqlCells, cell.id, Object.keys(files));
      if (!plan.ok) throw new Error(plan.message);
      const datasets = Object.fromEntries(plan.datasets.map((slug) => [slug, files[slug]]));
      for (const district of SAMPLE_DISTRICTS) {
        const result = await runTileSql({ sql: plan.sql, params: { district }, datasets, limit: 1 });
        expect(result.totalRows, `${cell.name} for ${district}`).toBeGreaterThan(0);
      }
    }
  }, 120_000);
});
