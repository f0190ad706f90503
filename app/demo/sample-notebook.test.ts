/**
 * The sample notebook's cells against the real demo dataset files (built by seedDemoWorkspace through the DHIS2
 * connector), on native DuckDB: every SQL cell runs and returns rows — with the input's default through the report's
 * own cell runner, and for every district the input offers — and every chart renders to SVG.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type CellData, readCells, SEED_CELL_ID, seedUpdate } from "../../collab/index.ts";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { openDatabase } from "../../db/index.ts";
import { inputDefinitionSchema } from "../../kernel/parameters/index.ts";
import { parseChartModel } from "../charts/builder.ts";
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
  database.close();
}, 60_000);

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
