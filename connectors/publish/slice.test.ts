import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDB } from "./duckdb.ts";
import { buildSlice, ensureSlice, normalizeAllowedPaths, sliceFilePath } from "./slice.ts";
import { sampleDataset } from "./testing/sample-dataset.ts";
import { writeDatasetFile } from "./write-dataset.ts";

let dir: string;
let versionFile: string;
const data = sampleDataset({ facilitiesPerDistrict: 3, fieldCount: 2, months: 6 });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "publish-slice-"));
  versionFile = path.join(dir, "malaria", "v3.duckdb");
  mkdirSync(path.dirname(versionFile));
  await writeDatasetFile(versionFile, {
    observations: data.observationBatches(),
    locations: data.locations,
    fields: data.fields,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(file: string, sql: string) {
  const db = await openDuckDB();
  try {
    await db.connection.run(`ATTACH '${file}' AS ds (READ_ONLY)`);
    return (await db.connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    db.close();
  }
}

describe("slices", () => {
  it("keeps only the allowed subtrees, all fields, and the same columns and order", async () => {
    const sliceFile = sliceFilePath(versionFile, ["/C1/R1/R1D2", "/C1/R2/R2D3/R2D3F1/"]);
    const summary = await buildSlice(versionFile, sliceFile, ["/C1/R1/R1D2", "/C1/R2/R2D3/R2D3F1/"]);
    // District R1D2 itself + its 3 facilities, plus one facility elsewhere.
    expect(summary.locations).toBe(5);
    expect(summary.observations).toBe(4 * 2 * 6);
    const ids = await query(sliceFile, "SELECT location_id FROM ds.locations ORDER BY 1");
    expect(ids.map((r) => r.location_id)).toEqual(["R1D2", "R1D2F1", "R1D2F2", "R1D2F3", "R2D3F1"]);
    const outside = await query(
      sliceFile,
      "SELECT count(*) AS n FROM ds.observations WHERE location_id NOT IN ('R1D2F1','R1D2F2','R1D2F3','R2D3F1')",
    );
    expect(Number(outside[0].n)).toBe(0);
    expect(await query(sliceFile, "SELECT count(*) AS n FROM ds.fields")).toEqual([{ n: 2n }]);
    // Same columns (level columns included) as the version file, ancestors' names still there for GROUP BY region.
    const describeCols = (file: string) =>
      query(
        file,
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_catalog = 'ds' ORDER BY table_name, ordinal_position",
      );
    expect(await describeCols(sliceFile)).toEqual(await describeCols(versionFile));
    expect(await query(sliceFile, "SELECT DISTINCT region FROM ds.locations ORDER BY 1")).toEqual([
      { region: "Région 1" },
      { region: "Région 2" },
    ]);
    const sorted = await query(
      sliceFile,
      "SELECT bool_and(field_id > p_field OR (field_id = p_field AND period_start >= p_start) OR p_field IS NULL) AS ok FROM (SELECT field_id, period_start, lag(field_id) OVER (ORDER BY rowid) p_field, lag(period_start) OVER (ORDER BY rowid) p_start FROM ds.observations)",
    );
    expect(sorted).toEqual([{ ok: true }]);
  });

  it("does not let a path prefix match a sibling whose id merely starts the same", async () => {
    const restricted = sliceFilePath(versionFile, ["/C1/R1/R1D1F"]);
    const summary = await buildSlice(versionFile, restricted, ["/C1/R1/R1D1F"]);
    expect(summary).toMatchObject({ locations: 0, observations: 0 });
  });

  it("names slices by the sorted restriction and builds them once", async () => {
    expect(sliceFilePath(versionFile, ["/C1/R2", "/C1/R1/"])).toBe(sliceFilePath(versionFile, ["/C1/R1", "/C1/R2"]));
    expect(sliceFilePath(versionFile, ["/C1/R2"])).not.toBe(sliceFilePath(versionFile, ["/C1/R1"]));
    expect(path.basename(sliceFilePath(versionFile, ["/C1"]))).toMatch(/^v3-[0-9a-f]{20}\.duckdb$/);
    expect(normalizeAllowedPaths([])).toEqual([]);
    expect(() => normalizeAllowedPaths(["C1/R1"])).toThrow("allowed location path 'C1/R1'");

    const file = await ensureSlice(versionFile, ["/C1/R2"]);
    const built = statSync(file).mtimeMs;
    expect(await ensureSlice(versionFile, ["/C1/R2/"])).toBe(file);
    expect(statSync(file).mtimeMs).toBe(built);
    // Nothing temporary left in the slices directory.
    expect(readdirSync(path.dirname(file)).filter((n) => n.startsWith("."))).toEqual([]);
    expect(existsSync(file)).toBe(true);
  });

  it("an empty restriction is an empty slice, not the whole dataset", async () => {
    const summary = await buildSlice(versionFile, sliceFilePath(versionFile, []), []);
    expect(summary).toMatchObject({ locations: 0, observations: 0 });
  });
});
