/**
 * Bad-input corpus: every .xlsx (and .xls, which must be refused) under ../shared/fixtures goes through listSheets,
 * preview and extract of every sheet. Each yields records or fails with a SourceFileError naming the file; every
 * issue names the file, sheet and cell. No unhandled exception, no hang (each file has its own deadline).
 */
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RunIssue } from "../core/types.ts";
import { extractExcel, listSheets, previewExcel, SourceFileError } from "./index.ts";

const root = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.xlsx?$/i.test(f)).sort();
const PER_FILE_MS = 20_000;

async function run(path: string, signal: AbortSignal) {
  const sheets = await listSheets(path);
  await previewExcel(path);
  const issues: RunIssue[] = [];
  let records = 0;
  const ctx = { signal, progress() {}, report: (i: RunIssue) => issues.push(i), fetch, tempDir: tmpdir() };
  for (const sheet of sheets) {
    for await (const batch of extractExcel({ path, sheet: sheet.name }, ctx)) {
      records += batch.records.length;
      for (const r of batch.records) expect(r.place).toMatchObject({ sheet: sheet.name });
    }
  }
  return { records, issues };
}

describe("Excel corpus", () => {
  it("finds the fixture files", () => {
    expect(files).toContain("sheetjs-test-files/merge_cells.xlsx");
    expect(files).toContain("sheetjs-test-files/dates/1904.xls");
  });

  it.each(files)("%s: records or a clear failure", async (rel) => {
    const name = basename(rel);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`${rel} did not finish within ${PER_FILE_MS} ms`));
      }, PER_FILE_MS);
    });
    try {
      const { records, issues } = await Promise.race([run(join(root, rel), controller.signal), deadline]);
      expect(rel.endsWith(".xls")).toBe(false);
      // A sheet holding only a header row gives no records, and says so.
      if (records === 0) expect(issues.some((i) => /no data rows/.test(i.message))).toBe(true);
      for (const issue of issues) {
        expect(issue.message).toContain(name);
        expect(issue.place?.sheet).toBeTruthy();
      }
    } catch (error) {
      expect(error).toBeInstanceOf(SourceFileError);
      expect((error as Error).message).toContain(name);
      expect(rel.endsWith(".xls")).toBe(true);
    } finally {
      clearTimeout(timer);
    }
  });
});
