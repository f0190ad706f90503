import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { sierraLeoneHierarchy } from "../../../tests/helpers/sierra-leone.ts";
import { previewCsv } from "../../csv/index.ts";
import { pipelineSpecSchema } from "../pipeline-spec.ts";
import { type PublishedInfo, runPipeline } from "../runner.ts";

const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/", import.meta.url));

function csvFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return csvFiles(full);
    return /\.(csv|tsv)$/i.test(name) ? [full] : [];
  });
}

const corpus = [...csvFiles(path.join(FIXTURES, "w3c-csvw-tests")), ...csvFiles(path.join(FIXTURES, "dhis2-core"))];
const locations = sierraLeoneHierarchy();
const sqlRuns: string[] = [];
const jsRuns: string[] = [];

async function observations(file: string): Promise<unknown[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH '${file.replaceAll("'", "''")}' AS d (READ_ONLY)`);
    const sql = "SELECT * EXCLUDE (period_start, period_end) FROM d.observations ORDER BY ALL";
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as unknown[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Every CSV of the fixture corpus through both engines, with a mapping made from its first columns (as the corpus
 * test does): whichever path the runner takes, the report and the published rows are the JS path's.
 */
describe("the CSV corpus through the SQL path and the JS path", () => {
  it("has files", () => expect(corpus.length).toBeGreaterThan(100));

  // Most files must really take the SQL path, or the comparison proves little.
  afterAll(() => {
    console.log(`SQL path: ${sqlRuns.length} files; JS path (fallback): ${jsRuns.length}`);
    expect(sqlRuns.length).toBeGreaterThan(jsRuns.length);
  });

  it.each(corpus.map((f) => [path.relative(FIXTURES, f), f]))("%s", async (_name, file) => {
    let columns: string[];
    try {
      columns = (await previewCsv(file, {}, 5)).columns;
    } catch {
      return;
    }
    const spec = pipelineSpecSchema.parse({
      dataset: { slug: "corpus", title: "corpus" },
      source: { kind: "csv", config: { path: file } },
      mapping: {
        source: "corpus",
        period: { how: "dhis2-id", column: columns[0] ?? "column_1" },
        location: [{ column: columns[1] ?? columns[0] ?? "column_1", level: 2, by: "name" }],
        layout: { kind: "wide", values: [{ column: columns[2] ?? columns[0] ?? "column_1", field_id: "value" }] },
      },
      fields: [{ field_id: "value", name: "Value" }],
    });
    const run = async (engine: "auto" | "js") => {
      let info: PublishedInfo | null = null;
      const report = await runPipeline(spec, {
        datasetsDir: mkdtempSync(path.join(tmpdir(), "harmony-corpus-engines-")),
        locations,
        decisions: [],
        engine,
        catalog: {
          nextVersion: () => 1,
          commit: (i) => {
            info = i;
          },
        },
      });
      const published = info as PublishedInfo | null;
      const { timings, ...rest } = report;
      if (engine === "auto") ("sql_read_ms" in timings ? sqlRuns : jsRuns).push(file);
      return { rest, rows: published ? await observations(published.filePath) : [], covered: published?.locationsCovered };
    };
    const js = await run("js");
    const sql = await run("auto");
    expect(sql).toEqual(js);
  });
});
