/**
 * Bad-input corpus: every CSV/TSV file under ../shared/fixtures goes through preview and extract. Each must either
 * yield records or fail with a SourceFileError naming the file; every reported issue names the file (and the row for
 * row errors). No unhandled exception, no hang (each file has its own deadline).
 */
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunIssue } from "../core/types.ts";
import { extractCsv, previewCsv, SourceFileError } from "./index.ts";

const root = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.(csv|tsv)$/i.test(f)).sort();
const PER_FILE_MS = 10_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "csv-corpus-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(path: string, signal: AbortSignal) {
  const issues: RunIssue[] = [];
  const preview = await previewCsv(path);
  let records = 0;
  const ctx = { signal, progress() {}, report: (i: RunIssue) => issues.push(i), fetch, tempDir: dir };
  for await (const batch of extractCsv({ path }, ctx)) {
    records += batch.records.length;
    for (const r of batch.records) expect(r.place.row).toBeGreaterThan(0);
  }
  return { preview, records, issues };
}

function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what} did not finish within ${PER_FILE_MS} ms`));
    }, PER_FILE_MS);
  });
  return Promise.race([work(controller.signal), deadline]).finally(() => clearTimeout(timer));
}

describe("CSV corpus", () => {
  it("finds the fixture files", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain("dhis2-core/analytics-csv/dataValues.csv");
  });

  it.each(files)("%s: records or a clear failure", async (rel) => {
    const path = join(root, rel);
    const name = basename(rel);
    try {
      const { preview, records, issues } = await withDeadline((s) => run(path, s), rel);
      expect(preview.file).toBe(name);
      for (const issue of issues) {
        expect(issue.message).toContain(name);
        if (issue.severity === "error") expect(issue.place?.row).toBeGreaterThan(0);
      }
      if (records === 0) expect(issues.length).toBeGreaterThan(0);
    } catch (error) {
      expect(error).toBeInstanceOf(SourceFileError);
      expect((error as Error).message).toContain(name);
    }
  });
});
