import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { MALARIA_FIELDS, MALARIA_MAPPING, sierraLeoneHierarchy, writeMalariaCsv } from "../../tests/helpers/sierra-leone.ts";
import type { MatchDecision } from "../harmonize/locations/index.ts";
import { createCatalog } from "./catalog.ts";
import { type PipelineSpec, pipelineSpecSchema } from "./pipeline-spec.ts";
import { runRecorded } from "./run-recorded.ts";
import { type PublishedInfo, runPipeline } from "./runner.ts";

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

/**
 * The SQL path (CSV read by DuckDB, harmonized per distinct value) against the JS path (row by row) on the same
 * inputs: the reports (counts, issue messages with row numbers, unmatched with counts and first places) and the
 * published observations must be identical.
 */
describe("runPipeline: the SQL path and the JS path agree", () => {
  const DATA_VALUE_SET_B = fileURLToPath(
    new URL("../../../shared/fixtures/dhis2-core/datavalueset/dataValueSetB.csv", import.meta.url),
  );

  async function runEngine(spec: PipelineSpec, engine: "auto" | "js", decisions: MatchDecision[] = []) {
    const dir = mkdtempSync(path.join(tmpdir(), `harmony-engine-${engine}-`));
    const locations = sierraLeoneHierarchy();
    let committed: PublishedInfo | null = null;
    const phases: string[] = [];
    const report = await runPipeline(spec, {
      datasetsDir: dir,
      locations,
      decisions,
      engine,
      catalog: {
        nextVersion: () => 1,
        commit: (info) => {
          committed = info;
        },
      },
      onProgress: (p) => phases.push(`${p.phase}${p.message ? `: ${p.message}` : ""}`),
    });
    let observations: unknown[] = [];
    const info = committed as PublishedInfo | null;
    if (info) {
      observations = await query(
        info.filePath,
        `SELECT source, field_id, disaggregation, location_id, period_type, period_id, period_start::VARCHAR AS ps,
                period_end::VARCHAR AS pe, value, value_text FROM d.observations ORDER BY ALL`,
      );
    }
    const { timings, ...rest } = report;
    const commit = info
      ? { ...info, filePath: undefined, summary: { ...info.summary, filePath: undefined, bytes: undefined } }
      : null;
    return { report: rest, timings, commit, observations, phases };
  }

  async function expectSameRuns(spec: PipelineSpec, options: { decisions?: MatchDecision[]; sql?: boolean } = {}) {
    const js = await runEngine(spec, "js", options.decisions);
    const sql = await runEngine(spec, "auto", options.decisions);
    // The SQL path ran (or, for files it must not read, fell back and said why).
    expect("sql_read_ms" in sql.timings, sql.phases.join("\n")).toBe(options.sql ?? true);
    expect("sql_read_ms" in js.timings).toBe(false);
    expect(sql.report).toEqual(js.report);
    expect(sql.commit).toEqual(js.commit);
    expect(sql.observations).toEqual(js.observations);
    return js;
  }

  function malariaSpec(csv: string, config: Record<string, unknown> = {}, mapping: Record<string, unknown> = {}) {
    return pipelineSpecSchema.parse({
      dataset: { slug: "malaria", title: "Malaria 2024" },
      source: { kind: "csv", config: { path: csv, name: "malaria.csv", ...config } },
      mapping: { ...MALARIA_MAPPING, ...mapping },
      fields: MALARIA_FIELDS,
    });
  }

  it("malaria CSV: unmatched Atlantis, month 2024-13 at row 1,827, n/a values", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "harmony-engines-"));
    const csv = path.join(dir, "malaria.csv");
    const hierarchy = sierraLeoneHierarchy();
    writeMalariaCsv(csv, hierarchy, {
      extraRows: [
        '"Bo","Atlantis",2024-01,5,10',
        '"Bo District","Badjia Chiefdom",2024-13,1,2',
        '"bo","BADJIA",2024-03,n/a,4',
        '"Bo","Atlantis",2024-02,7,many',
        ",,2024-02,1,1",
        '"Bo","Badjia",,1,1',
        '"Bo","Badjia",2024-04,  12 ,seven',
      ],
    });
    const js = await expectSameRuns(malariaSpec(csv));
    expect(js.report.issues.map((i) => i.message).join("\n")).toMatch(/row 1,827, column `Month`.*2024-13/);
    expect(js.report.unmatched.entries).toEqual([expect.objectContaining({ value: "Atlantis", count: 2 })]);
  });

  it("malaria CSV with saved decisions, small batches (issue order across batches), blanks kept", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "harmony-engines-"));
    const csv = path.join(dir, "malaria.csv");
    const hierarchy = sierraLeoneHierarchy();
    writeMalariaCsv(csv, hierarchy, {
      months: 2,
      extraRows: ['"Bo","Badjia (old name)",2024-01,5,10', '"Bo","Atlantis",2024-01,x,', '"Bo","Badjia",2024-02,,n/a'],
    });
    const badjia = hierarchy.find((l) => l.name === "Badjia")!;
    const preview = await runEngine(malariaSpec(csv), "js");
    const key = preview.report.unmatched.entries.find((e) => e.value === "Badjia (old name)")!.key;
    const decisions: MatchDecision[] = [{ sourceValue: key, locationId: badjia.location_id }];
    await expectSameRuns(malariaSpec(csv, { batchSize: 7 }, { values: { blanks: "keep" } }), { decisions });
  });

  it("a long DHIS2 data value CSV: dhis2-id periods, org unit ids, element ids", async () => {
    const spec = pipelineSpecSchema.parse({
      dataset: { slug: "dvs", title: "Data values" },
      source: { kind: "csv", config: { path: DATA_VALUE_SET_B } },
      mapping: {
        source: "dhis2",
        period: { how: "dhis2-id", column: "period" },
        location: [{ column: "orgunit", level: 4, by: "id" }],
        layout: { kind: "long", fieldColumn: "dataelement", valueColumn: "value" },
        disaggregationColumn: "categoryoptioncombo",
      },
      fields: [
        { field_id: "anc1", name: "ANC 1", source_field_id: "f7n9E0hX8qk" },
        { field_id: "anc2", name: "ANC 2", source_field_id: "Ix2HsbDMLea" },
      ],
    });
    const js = await expectSameRuns(spec);
    expect(js.report.rowsIn).toBe(12);
  });

  it("blank lines, short rows, quoted line breaks, CRLF, text values and many issues across batches", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "harmony-engines-"));
    const csv = path.join(dir, "messy.csv");
    const hierarchy = sierraLeoneHierarchy();
    writeMalariaCsv(csv, hierarchy, { months: 3 });
    const { readFileSync, writeFileSync } = await import("node:fs");
    const lines = readFileSync(csv, "utf8").trimEnd().split("\n");
    const out: string[] = [lines[0]];
    lines.slice(1).forEach((line, i) => {
      if (i % 97 === 5) out.push("");
      if (i % 13 === 2) out.push(line.split(",").slice(0, 4).join(","));
      else if (i % 11 === 3) out.push(line.replace(/,(\d+)$/, ',"1\n2"'));
      else if (i % 7 === 1) out.push(line.replace(/2024-0/, "2024-1"));
      else out.push(line);
    });
    for (let i = 0; i < 1200; i++) out.push(`"Bo","Nowhere ${i % 40}",2024-01,1,2`, "Bo,Badjia,2024-01");
    writeFileSync(csv, `${out.join("\r\n")}\r\n\r\n`);
    const js = await expectSameRuns(malariaSpec(csv, { batchSize: 100 }));
    expect(js.report.issueCount).toBeGreaterThan(1000);
    expect(js.report.issues).toHaveLength(1000);
    expect(js.report.issues.some((i) => /missing ones left empty/.test(i.message))).toBe(true);
  });

  it("falls back to the JS path for what DuckDB reads differently, with the same report", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "harmony-engines-"));
    const { writeFileSync } = await import("node:fs");
    const padded = path.join(dir, "padded.csv");
    writeFileSync(padded, 'District,Chiefdom,Month,Confirmed,Tested\nBo,  "Badjia" ,2024-01,1,2\nBo,Badjia,2024-02,1,2\n');
    await expectSameRuns(malariaSpec(padded), { sql: false });
    const long = path.join(dir, "long.csv");
    writeFileSync(long, "District,Chiefdom,Month,Confirmed,Tested\nBo,Badjia,2024-01,1,2\nBo,Badjia,2024-02,1,2,3\n");
    await expectSameRuns(malariaSpec(long), { sql: false });
    // A quote inside an unquoted cell, or an escaped one inside a quoted cell, reads alike in both: no fallback.
    const inner = path.join(dir, "inner.csv");
    writeFileSync(inner, 'District,Chiefdom,Month,Confirmed,Tested\nBo,Bad"jia,2024-01,1,2\nBo,"Bad ""x"" jia",2024-02,1,2\n');
    await expectSameRuns(malariaSpec(inner));
    const latin1 = path.join(dir, "latin1.csv");
    writeFileSync(
      latin1,
      Buffer.from("District,Chiefdom,Month,Confirmed,Tested\nBo,Badjia,2024-01,1,2\nBo,Bé,2024-01,1,2\n", "latin1"),
    );
    await expectSameRuns(malariaSpec(latin1), { sql: false });
  });
});

describe("runPipeline: cancelling the SQL path", () => {
  it("interrupts DuckDB mid-read, publishes nothing and removes its scratch files", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "harmony-cancel-sql-"));
    const csv = path.join(dir, "big.csv");
    const { writeFileSync } = await import("node:fs");
    const lines = ["District,Chiefdom,Month,Confirmed,Tested"];
    for (let i = 0; i < 400_000; i++) lines.push(`Bo,Badjia,2024-${String((i % 12) + 1).padStart(2, "0")},${i % 50},${i % 70}`);
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const controller = new AbortController();
    let committed = false;
    const started = Date.now();
    const report = await runPipeline(
      pipelineSpecSchema.parse({
        dataset: { slug: "big", title: "Big" },
        source: { kind: "csv", config: { path: csv } },
        mapping: MALARIA_MAPPING,
        fields: MALARIA_FIELDS,
      }),
      {
        datasetsDir: path.join(dir, "datasets"),
        locations: sierraLeoneHierarchy(),
        decisions: [],
        engine: "auto",
        catalog: {
          nextVersion: () => 1,
          commit: () => {
            committed = true;
          },
        },
        signal: controller.signal,
        onProgress: (p) => {
          if (p.message?.includes("reading with DuckDB")) setTimeout(() => controller.abort(), 20);
        },
      },
    );
    expect(report.status).toBe("cancelled");
    expect(committed).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readdirSync(path.join(dir, "datasets", ".runs"))).toEqual([]);
  });
});
