import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { MALARIA_FIELDS, MALARIA_MAPPING, sierraLeoneHierarchy, writeMalariaCsv } from "../../tests/helpers/sierra-leone.ts";
import { createCatalog } from "./catalog.ts";
import { pipelineSpecSchema } from "./pipeline-spec.ts";
import { runRecorded } from "./run-recorded.ts";

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-runner-"));
  const database = openDatabase(path.join(dir, "data"));
  const catalog = createCatalog(database.db, path.join(dir, "data", "datasets"));
  const hierarchy = sierraLeoneHierarchy();
  catalog.replaceHierarchy(hierarchy);
  return { dir, database, catalog, hierarchy };
}

function specFor(csvPath: string, slug = "malaria") {
  return pipelineSpecSchema.parse({
    dataset: { slug, title: "Malaria 2024" },
    source: { kind: "csv", config: { path: csvPath, name: "malaria.csv" } },
    mapping: MALARIA_MAPPING,
    fields: MALARIA_FIELDS,
  });
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

describe("runRecorded", () => {
  it("publishes a CSV as a dataset version with its run record, lists unmatched locations and located errors", async () => {
    const { dir, catalog, hierarchy, database } = setup();
    const csv = path.join(dir, "malaria.csv");
    const expected = writeMalariaCsv(csv, hierarchy, {
      extraRows: ['"Bo","Atlantis",2024-01,5,10', '"Bo District","Badjia Chiefdom",2024-13,1,2', '"bo","BADJIA",2024-03,n/a,4'],
    });
    const report = await runRecorded(specFor(csv), { catalog });
    expect(report.error).toBeNull();
    expect(report.status).toBe("succeeded");
    expect(report.version).toBe(1);
    expect(report.rowsIn).toBe(expected.rows + 3);
    // Atlantis is unmatched and listed with its parent and place; the 13th month is rejected naming row and column.
    expect(report.unmatched.entries).toEqual([expect.objectContaining({ value: "Atlantis", parent: "Bo", count: 1 })]);
    expect(report.unmatched.entries[0].firstPlace).toMatchObject({ file: "malaria.csv", row: expected.rows + 2 });
    expect(report.issues.map((i) => i.message).join("\n")).toMatch(/row 1,?827, column `Month`.*2024-13/);

    const dataset = catalog.bySlug("malaria")!;
    expect(dataset.currentVersion).toBe(1);
    const [version] = catalog.versions(dataset.id);
    expect(version).toMatchObject({ version: 1, periodStart: "2024-01-01", periodEnd: "2024-12-31", locations: 152 });
    const run = catalog.run(report.runId!)!;
    expect(run).toMatchObject({ status: "succeeded", version: 1, rowsIn: expected.rows + 3 });

    const file = path.join(catalog.datasetsDir, version.fileName);
    const [total] = await query<{ total: number }>(
      file,
      "SELECT sum(value)::DOUBLE AS total FROM d.observations WHERE field_id = 'malaria_confirmed'",
    );
    // The lower-case "bo"/"BADJIA" row matched by normalized name; its n/a value was skipped.
    expect(total.total).toBe(expected.confirmedTotal);
    const districts = await query<{ n: number }>(
      file,
      "SELECT count(DISTINCT l.level_2_name)::INT AS n FROM d.observations o JOIN d.locations l USING (location_id)",
    );
    expect(districts[0].n).toBe(13);
    database.close();
  });

  it("makes a new version on a second run and keeps the first", async () => {
    const { dir, catalog, hierarchy, database } = setup();
    const csv = path.join(dir, "malaria.csv");
    writeMalariaCsv(csv, hierarchy, { months: 2 });
    await runRecorded(specFor(csv), { catalog });
    writeMalariaCsv(csv, hierarchy, { months: 3 });
    const second = await runRecorded(specFor(csv), { catalog });
    expect(second.version).toBe(2);
    const dataset = catalog.bySlug("malaria")!;
    expect(dataset.currentVersion).toBe(2);
    expect(catalog.versions(dataset.id).map((v) => [v.version, v.periodEnd])).toEqual([
      [2, "2024-03-31"],
      [1, "2024-02-29"],
    ]);
    database.close();
  });

  it("previews without writing anything or creating the dataset", async () => {
    const { dir, catalog, hierarchy, database } = setup();
    const csv = path.join(dir, "malaria.csv");
    writeMalariaCsv(csv, hierarchy, { months: 1, extraRows: ['"Bo","Atlantis",2024-01,5,10'] });
    const report = await runRecorded(specFor(csv), { catalog, mode: "preview" });
    expect(report.status).toBe("succeeded");
    expect(report.unmatched.distinctValues).toBe(1);
    expect(catalog.bySlug("malaria")).toBeUndefined();
    expect(existsSync(path.join(catalog.datasetsDir, "malaria"))).toBe(false);
    database.close();
  });

  it("applies saved match decisions on later runs", async () => {
    const { dir, catalog, hierarchy, database } = setup();
    const csv = path.join(dir, "malaria.csv");
    writeMalariaCsv(csv, hierarchy, { months: 1, extraRows: ['"Bo","Badjia (old name)",2024-01,5,10'] });
    const first = await runRecorded(specFor(csv), { catalog, mode: "preview" });
    const entry = first.unmatched.entries[0];
    const badjia = hierarchy.find((l) => l.name === "Badjia")!;
    catalog.saveDecision(entry.key, badjia.location_id, null);
    const second = await runRecorded(specFor(csv), { catalog });
    expect(second.unmatched.distinctValues).toBe(0);
    expect(second.rowsRejected).toBe(0);
    database.close();
  });

  it("fails without publishing when nothing can be harmonized, and when cancelled", async () => {
    const { dir, catalog, database } = setup();
    const csv = path.join(dir, "bad.csv");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(csv, "District,Chiefdom,Month,Confirmed,Tested\nNowhere,Nothing,2024-01,1,2\n");
    const failed = await runRecorded(specFor(csv, "bad"), { catalog });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^malaria.csv: no observation could be made/);
    expect(catalog.bySlug("bad")?.currentVersion).toBeNull();

    const controller = new AbortController();
    controller.abort();
    const cancelled = await runRecorded(specFor(csv, "bad"), { catalog, signal: controller.signal });
    expect(cancelled.status).toBe("cancelled");
    expect(catalog.run(cancelled.runId!)?.status).toBe("cancelled");
    const slugDir = path.join(catalog.datasetsDir, "bad");
    expect(existsSync(slugDir) ? readdirSync(slugDir).filter((f) => f.endsWith(".duckdb")) : []).toEqual([]);
    database.close();
  });
});
