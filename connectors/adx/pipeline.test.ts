/** ADX files through the whole pipeline into a temp catalog: the preset mapping, and malformed files publishing nothing. */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { createCatalog } from "../core/catalog.ts";
import { runRecorded } from "../core/run-recorded.ts";
import type { LocationRow } from "../core/types.ts";
import { adxDataElements, adxPipelineSpec } from "./pipeline.ts";

const fixture = (rel: string) => fileURLToPath(new URL(`../../../shared/fixtures/${rel}`, import.meta.url));
const HIV = fixture("adx-hiv/adx_hiv_data_sample.xml");

const ZIMBABWE: LocationRow = {
  location_id: "ZwCountry01",
  code: "ZW01",
  name: "Zimbabwe",
  level: 1,
  level_name: "Country",
  parent_id: null,
  path: "/ZwCountry01",
  geometry: null,
};

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-adx-pipeline-"));
  const database = openDatabase(path.join(dir, "data"));
  const catalog = createCatalog(database.db, path.join(dir, "data", "datasets"));
  catalog.replaceHierarchy([ZIMBABWE]);
  return { catalog, database };
}

async function query<T>(file: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${file}' AS d (READ_ONLY)`);
    return (await (await conn.runAndReadAll(sql)).getRowObjectsJson()) as T[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("adxPipelineSpec", () => {
  it("presets the long mapping and makes one field per data element found in the file", async () => {
    const spec = await adxPipelineSpec({
      dataset: { slug: "hiv", title: "HIV" },
      config: { path: HIV, name: "data-sample.xml" },
      level: 1,
      names: { QRPH_ADX_ART1_N: "ART: new on treatment" },
    });
    expect(spec.mapping).toMatchObject({
      source: "adx:data-sample.xml",
      period: { how: "dhis2-id", column: "periodId" },
      location: [{ column: "orgUnit", level: 1, by: "code" }],
      layout: { kind: "long", fieldColumn: "dataElement", valueColumn: "value" },
      disaggregationColumn: "disaggregation",
    });
    expect(spec.fields).toHaveLength(13);
    expect(spec.fields[0]).toMatchObject({ field_id: "art_new_on_treatment", source_field_id: "QRPH_ADX_ART1_N" });
    expect(spec.fields[1]).toMatchObject({ field_id: "qrph_adx_art1_n_preg_bf", name: "QRPH_ADX_ART1_N_PREG_BF" });
  });

  it("reads uid-scheme files by id", async () => {
    const spec = await adxPipelineSpec({
      dataset: { slug: "x", title: "X" },
      config: { path: HIV, idScheme: "uid" },
      level: 2,
      dataElements: ["A"],
    });
    expect(spec.mapping.location).toEqual([{ column: "orgUnit", level: 2, by: "id" }]);
  });
});

describe("an ADX source run into a catalog", () => {
  it("publishes every data value of the mADX-HIV sample with its age/sex disaggregation", async () => {
    const { catalog, database } = setup();
    const spec = await adxPipelineSpec({
      dataset: { slug: "hiv", title: "HIV" },
      config: { path: HIV, name: "data-sample.xml" },
      level: 1,
    });
    const report = await runRecorded(spec, { catalog });
    expect(report.error).toBeNull();
    expect(report).toMatchObject({ status: "succeeded", rowsIn: 173, rowsOut: 173, rowsRejected: 0, version: 1 });
    // The trailing spaces of 'P20Y--P25Y ' were trimmed, and said so.
    expect(report.issues.some((i) => /surrounding spaces/.test(i.message))).toBe(true);
    const version = catalog.versions(catalog.bySlug("hiv")!.id)[0];
    const file = path.join(catalog.datasetsDir, version.fileName);
    const [summary] = await query<{ n: number; periods: string; places: string; fields: number }>(
      file,
      `SELECT count(*)::INT AS n, string_agg(DISTINCT period_id, ',') AS periods, string_agg(DISTINCT location_id, ',') AS places,
              count(DISTINCT field_id)::INT AS fields FROM d.observations`,
    );
    expect(summary).toEqual({ n: 173, periods: "201701", places: "ZwCountry01", fields: 13 });
    const [age] = await query<{ d: string }>(
      file,
      "SELECT disaggregation AS d FROM d.observations WHERE disaggregation LIKE '%P20Y--P25Y%' LIMIT 1",
    );
    expect(age.d).toMatch(/AGE_GROUP.*P20Y--P25Y[^ ]/);
    database.close();
  });

  it("a file that is not well-formed XML fails the run with its line and column, and publishes nothing", async () => {
    const { catalog, database } = setup();
    const bad = fixture("adx-hiv/adx_hiv_measurereport_sample.xml");
    await expect(adxDataElements({ path: bad })).rejects.toThrow(/line \d+.*column \d+|column \d+/);
    const spec = await adxPipelineSpec({
      dataset: { slug: "broken", title: "Broken" },
      config: { path: bad, name: "measurereport.xml" },
      level: 1,
      dataElements: ["QRPH_ADX_ART1_N"],
    });
    const report = await runRecorded(spec, { catalog });
    expect(report.status).toBe("failed");
    expect(report.error).toMatch(/measurereport\.xml.*line \d+/);
    expect(catalog.bySlug("broken")?.currentVersion).toBeNull();
    const dir = path.join(catalog.datasetsDir, "broken");
    expect(existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".duckdb")) : []).toEqual([]);
    database.close();
  });

  it("values at an org unit code the hierarchy lacks are listed as unmatched, not dropped silently", async () => {
    const { catalog, database } = setup();
    const spec = await adxPipelineSpec({
      dataset: { slug: "sample1", title: "Sample 1" },
      config: { path: fixture("dhis2-core/adx/adx_data_sample1.xml") },
      level: 1,
    });
    const report = await runRecorded(spec, { catalog });
    expect(report.status).toBe("failed");
    expect(report.unmatched.entries.map((e) => e.value)).toContain("342");
    database.close();
  });
});
