/**
 * The "Sierra Leone (demo)" workspace: the org-unit hierarchy (levels 1–4) and a few datasets, built from the recorded
 * DHIS2 responses in ../shared/fixtures THROUGH THE PRODUCT'S OWN PATH. The DHIS2 stand-in server (tests/dhis2-standin,
 * which serves exactly those recordings) is started in-process on 127.0.0.1:0; the org units are imported with the same
 * code as the "Import org units" checkbox, and each dataset is a saved DHIS2 source run by runRecorded (connector →
 * harmonize → publish). The stand-in is closed afterwards, so the demo sources cannot be refreshed (their URL is gone).
 *
 * Idempotent: a dataset that already has a version is left alone, and the hierarchy is imported only when the
 * workspace has none. Takes a few seconds.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Catalog } from "../../connectors/core/catalog.ts";
import { runRecorded } from "../../connectors/core/run-recorded.ts";
import { Dhis2Client, type Dhis2ConfigInput, dhis2ConfigSchema } from "../../connectors/dhis2/index.ts";
import { dhis2PipelineSpec, fetchDhis2SpecMetadata } from "../../connectors/dhis2/pipeline.ts";
import type { Db } from "../../db/index.ts";
import { grantToWorkspace } from "../access/workspace-group.server.ts";
import { attachDemoDistrictGeometry } from "../charts/map-demo-geometry.server.ts";
import { importOrgUnits } from "../dhis2/import-org-units.server.ts";
import { saveDhis2Source } from "../dhis2/sources.server.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_FIXTURES_DIR = path.resolve(repoRoot, "../shared/fixtures");
export const DEMO_WORKSPACE = "Sierra Leone (demo)";
const SIERRA_LEONE = "ImspTQPwCqd";
const BO = "O6uvpzGd5pu";

export interface DemoDataset {
  slug: string;
  title: string;
  description: string;
  config: Omit<Dhis2ConfigInput, "baseUrl" | "auth">;
  /** Data elements recorded without metadata keep their id as their name. */
  allowUnnamed?: boolean;
}

/** The demo's datasets: each is exactly one recorded response (or a set of them) of the Sierra Leone demo database. */
export function demoDatasets(fixturesDir = DEMO_FIXTURES_DIR): DemoDataset[] {
  const bulk = JSON.parse(
    readFileSync(path.join(fixturesDir, "dhis2-core/datavalueset/dataValues_bulk_sierra_leone.json"), "utf8"),
  );
  const bulkElements = [...new Set<string>(bulk.dataValues.map((v: { dataElement: string }) => v.dataElement))];
  return [
    {
      slug: "demo_anc_facilities",
      title: "ANC visits by facility, 2019",
      description: `${DEMO_WORKSPACE}: ANC 1st and 2nd visits per health facility (DHIS2 analytics).`,
      config: {
        selection: {
          dataElements: ["fbfJHSPpUQD", "cYeuwXTCPkU"],
          periods: ["2019"],
          orgUnits: { roots: [SIERRA_LEONE], levels: [4] },
        },
        chunking: { periodsPerChunk: 12, orgUnitsPerChunk: 400, dataItemsPerChunk: 50 },
      },
    },
    {
      slug: "demo_district_indicators",
      title: "Health indicators by district, 2019 quarters",
      description: `${DEMO_WORKSPACE}: seven programme indicators per district and quarter (DHIS2 analytics).`,
      config: {
        selection: {
          indicators: ["EY8gsfEomc0", "MkXHDfrFRKV", "ULW9dQOiiTS", "X2XfzgH4NOR", "iug406zdfTE", "oTOpKabJA1v", "qmCKRmVj4WX"],
          periods: ["2019Q1", "2019Q2", "2019Q3", "2019Q4"],
          orgUnits: { roots: [SIERRA_LEONE], levels: [2] },
        },
      },
    },
    {
      slug: "demo_anc_national_monthly",
      title: "ANC 1st visits, national, monthly",
      description: `${DEMO_WORKSPACE}: the last 12 months before February 2020 (a DHIS2 relative period).`,
      config: {
        selection: {
          dataElements: ["fbfJHSPpUQD"],
          periods: ["LAST_12_MONTHS"],
          referenceDate: "2020-02-15",
          orgUnits: { roots: [SIERRA_LEONE] },
        },
      },
    },
    {
      slug: "demo_bo_data_values",
      title: "Bo district data values, 2018–2019",
      description: `${DEMO_WORKSPACE}: raw data values with their category option combos (DHIS2 dataValueSets).`,
      config: {
        mode: "dataValueSets",
        selection: { dataElements: bulkElements, periods: ["2018", "201912"], orgUnits: { roots: [BO], levels: [2] } },
      },
      allowUnnamed: true,
    },
  ];
}

export interface SeedDeps {
  catalog: Catalog;
  database: { db: Db };
  config: { dataDir: string };
}

export interface SeedResult {
  skipped: string | null;
  hierarchyImported: number;
  published: string[];
  failed: { slug: string; error: string }[];
}

export async function seedDemoWorkspace(
  services: SeedDeps,
  log: (line: string) => void = console.log,
  options: { fixturesDir?: string } = {},
): Promise<SeedResult> {
  const fixturesDir = options.fixturesDir ?? DEMO_FIXTURES_DIR;
  const result: SeedResult = { skipped: null, hierarchyImported: 0, published: [], failed: [] };
  if (!existsSync(path.join(fixturesDir, "dhis2-analytics")) || !existsSync(path.join(fixturesDir, "dhis2-core"))) {
    result.skipped = `demo workspace skipped: the DHIS2 fixtures are missing at ${fixturesDir} (they sit beside the repository, in ../shared/fixtures)`;
    log(result.skipped);
    return result;
  }
  const { catalog } = services;
  const datasets = demoDatasets(fixturesDir);
  const hasHierarchy = catalog.hierarchy().length > 0;
  const todo = datasets.filter((d) => !catalog.bySlug(d.slug)?.currentVersion);
  // Deny by default (app/access): the demo's datasets are read through the "Workspace" group of every user. Synced on
  // every start, so accounts created since then join it.
  const grantDemo = () =>
    grantToWorkspace(
      services.database.db,
      datasets.map((d) => d.slug),
    );
  // District boundaries for maps (the recorded org units have none); only districts without geometry are filled, so this
  // is a no-op once done and also fills a workspace built before maps existed.
  const attachBoundaries = () => attachDemoDistrictGeometry(services.database.db, fixturesDir);
  if (hasHierarchy && todo.length === 0) {
    grantDemo();
    attachBoundaries();
    result.skipped = "demo workspace already built";
    return result;
  }
  const started = Date.now();
  log(`Building the ${DEMO_WORKSPACE} workspace from the recorded DHIS2 responses…`);
  // Loaded only here: the stand-in lives with the tests and reads the fixtures when it starts.
  const { startDhis2Standin, STANDIN_USER } = await import("../../tests/dhis2-standin/server.ts");
  const standin = await startDhis2Standin();
  const auth = { type: "basic" as const, ...STANDIN_USER };
  try {
    if (!hasHierarchy) {
      const imported = await importOrgUnits(catalog, { baseUrl: standin.url, auth, maxLevel: 4 });
      result.hierarchyImported = imported.locations;
      log(`  hierarchy: ${imported.levels.map((l) => `${l.count} ${l.name}`).join(", ")}`);
    }
    log(attachBoundaries());
    const client = new Dhis2Client({ baseUrl: standin.url, auth, fetch: globalThis.fetch });
    for (const demo of todo) {
      try {
        const config = dhis2ConfigSchema.parse({ ...demo.config, baseUrl: standin.url, auth });
        const metadata = await fetchDhis2SpecMetadata(client, config.selection, {
          mode: config.mode,
          allowUnnamed: demo.allowUnnamed,
        });
        const spec = dhis2PipelineSpec({
          dataset: { slug: demo.slug, title: demo.title, description: demo.description },
          config,
          metadata,
          sourceLabel: "dhis2:sierra-leone-demo",
        });
        // A failed earlier attempt left the dataset row: re-run its source instead of creating another.
        const existing = catalog.bySlug(demo.slug);
        const sourceId = existing
          ? (catalog.sources(existing.id)[0]?.id ?? null)
          : saveDhis2Source({ db: services.database.db, catalog, dataDir: services.config.dataDir }, spec, null).sourceId;
        const report = await runRecorded(spec, { catalog, sourceId });
        if (report.status === "succeeded") {
          result.published.push(demo.slug);
          log(`  ${demo.title}: ${report.rowsOut.toLocaleString("en")} observations`);
        } else {
          result.failed.push({ slug: demo.slug, error: report.error ?? report.status });
          log(`  ${demo.title}: not published (${report.error})`);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result.failed.push({ slug: demo.slug, error: message });
        log(`  ${demo.title}: not published (${message})`);
      }
    }
  } finally {
    await standin.close();
  }
  grantDemo();
  log(`${DEMO_WORKSPACE} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
