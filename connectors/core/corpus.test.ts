import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { sierraLeoneHierarchy } from "../../tests/helpers/sierra-leone.ts";
import { previewCsv } from "../csv/index.ts";
import { previewExcel } from "../excel/index.ts";
import { createCatalog } from "./catalog.ts";
import { pipelineSpecSchema } from "./pipeline-spec.ts";
import { runRecorded } from "./run-recorded.ts";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.(csv|tsv|xlsx|xls)$/i.test(name) ? [full] : [];
  });
}

const corpus = [
  ...files(path.join(FIXTURES, "w3c-csvw-tests")),
  ...files(path.join(FIXTURES, "sheetjs-test-files")),
  ...files(path.join(FIXTURES, "dhis2-core")),
];

/**
 * Every CSV and spreadsheet of the fixtures goes through the whole pipeline (extract → harmonize → publish) with a
 * mapping made from its own first columns, as a user clicking through the wizard might. Each run either publishes or
 * fails with a message naming the file, never crashes, and never leaves a partial dataset.
 */
describe("the fixture corpus through the pipeline", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-corpus-"));
  const database = openDatabase(path.join(dir, "data"));
  const catalog = createCatalog(database.db, path.join(dir, "data", "datasets"));
  catalog.replaceHierarchy(sierraLeoneHierarchy());

  it("has a corpus to feed", () => {
    expect(corpus.length).toBeGreaterThan(200);
  });

  it.each(corpus.map((f) => [path.relative(FIXTURES, f), f]))("%s", async (name, file) => {
    const excel = /\.xlsx?$/i.test(file);
    let columns: string[] = [];
    try {
      columns = excel ? (await previewExcel(file, {}, 5)).columns : (await previewCsv(file, {}, 5)).columns;
    } catch (error) {
      // A file refused at preview time must say which file.
      expect(String(error)).toContain(path.basename(file));
      return;
    }
    const slug = `c_${corpus.indexOf(file)}`;
    const spec = pipelineSpecSchema.parse({
      dataset: { slug, title: name },
      source: { kind: excel ? "excel" : "csv", config: { path: file, name: path.basename(file) } },
      mapping: {
        source: slug,
        period: { how: "dhis2-id", column: columns[0] ?? "column_1" },
        location: [{ column: columns[1] ?? columns[0] ?? "column_1", level: 2, by: "name" }],
        layout: { kind: "wide", values: [{ column: columns[2] ?? columns[0] ?? "column_1", field_id: "value" }] },
      },
      fields: [{ field_id: "value", name: "Value" }],
    });
    const report = await runRecorded(spec, { catalog });
    const dataset = catalog.bySlug(slug)!;
    const slugDir = path.join(catalog.datasetsDir, slug);
    const filesLeft = existsSync(slugDir) ? readdirSync(slugDir) : [];
    if (report.status === "succeeded") {
      expect(dataset.currentVersion).toBe(1);
      expect(filesLeft).toEqual(["v1.duckdb"]);
    } else {
      expect(report.status).toBe("failed");
      expect(report.error).toContain(path.basename(file));
      expect(dataset.currentVersion).toBeNull();
      expect(filesLeft).toEqual([]);
    }
    for (const issue of report.issues.filter((i) => i.severity === "error")) {
      expect(issue.place?.file ?? issue.message, issue.message).toBeTruthy();
    }
  });
});
