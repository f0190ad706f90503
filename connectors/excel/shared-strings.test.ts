import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSharedStrings, sharedStringIndex } from "./shared-strings.ts";
import { openWorkbook } from "./workbook.ts";

const fixture = (p: string) => fileURLToPath(new URL(`../../../shared/fixtures/sheetjs-test-files/${p}`, import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "excel-sst-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("shared-string fallback", () => {
  it("reads the table in index order", async () => {
    const strings = await readSharedStrings(await openWorkbook(fixture("sheet_visibility.xlsx")));
    expect(strings).toEqual(["v", "i", "s", "b", "l", "e", "V", "r", "y", "H", "d", "n"]);
  });

  it("joins rich-text runs, decodes entities and drops phonetic guides", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("S");
    sheet.getCell("A1").value = { richText: [{ text: "Bo " }, { text: "& Kenema", font: { bold: true } }] };
    sheet.getCell("A2").value = "<Western>";
    const path = join(dir, "rich.xlsx");
    await book.xlsx.writeFile(path);
    const strings = await readSharedStrings(await openWorkbook(path));
    expect(strings).toContain("Bo & Kenema");
    expect(strings).toContain("<Western>");
  });

  it("recognises only unresolved shared-string values", () => {
    expect(sharedStringIndex({ sharedString: 3 })).toBe(3);
    expect(sharedStringIndex({ sharedString: "3" })).toBeUndefined();
    expect(sharedStringIndex("H")).toBeUndefined();
    expect(sharedStringIndex(null)).toBeUndefined();
    expect(sharedStringIndex({ richText: [] })).toBeUndefined();
  });
});
