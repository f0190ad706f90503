import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawBatch, RunIssue } from "../core/types.ts";
import { isDateFormat, isoFromSerial } from "./cells.ts";
import { extractExcel, listSheets, previewExcel, SourceFileError } from "./index.ts";

const fixture = (p: string) => fileURLToPath(new URL(`../../../shared/fixtures/sheetjs-test-files/${p}`, import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "excel-extract-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function collect(config: Parameters<typeof extractExcel>[0]) {
  const issues: RunIssue[] = [];
  const ctx = {
    signal: new AbortController().signal,
    progress() {},
    report: (i: RunIssue) => issues.push(i),
    fetch,
    tempDir: dir,
  };
  const batches: RawBatch[] = [];
  for await (const b of extractExcel(config, ctx)) batches.push(b);
  return { batches, records: batches.flatMap((b) => b.records), issues };
}

describe("sheets", () => {
  it("lists hidden sheets with their flag and never picks them by default", async () => {
    expect(await listSheets(fixture("sheet_visibility.xlsx"))).toEqual([
      { name: "Visible", index: 0, state: "visible", hidden: false },
      { name: "Hidden", index: 1, state: "hidden", hidden: true },
      { name: "VeryHidden", index: 2, state: "veryHidden", hidden: true },
    ]);
    expect((await previewExcel(fixture("sheet_visibility.xlsx"))).sheet).toBe("Visible");
    // The hidden sheet comes before the visible one inside the ZIP: the reader must still find the right one.
    const { records } = await collect({ path: fixture("sheet_visibility.xlsx"), sheet: "Hidden", headerRow: 0 });
    expect(records[0].values).toMatchObject({ column_A: "H", column_F: "n" });
    expect(records[1]).toEqual({
      values: { column_A: 72, column_B: 105, column_C: 100, column_D: 100, column_E: 101, column_F: 110 },
      place: { file: "sheet_visibility.xlsx", sheet: "Hidden", row: 2 },
    });
  });

  it("names the missing sheet and the ones there are", async () => {
    await expect(collect({ path: fixture("mixed_sheets.xlsx"), sheet: "Nope" })).rejects.toThrow(
      /mixed_sheets\.xlsx: there is no sheet "Nope" \(sheets: /,
    );
  });
});

describe("values", () => {
  it("reads 1900 and 1904 workbooks to the same dates (serials differ by 1,462)", async () => {
    const read = async (f: string) => (await collect({ path: fixture(f), headerRow: 0 })).records.map((r) => r.values.column_B);
    const d1900 = await read("dates/1900.xlsx");
    const d1904 = await read("dates/1904.xlsx");
    // The workbooks' own TEXT(B,"YYYY-MM-DD") results are the truth: compare with column C of each.
    const cached = async (f: string) => (await collect({ path: fixture(f), headerRow: 0 })).records.map((r) => r.values.column_C);
    expect(d1900).toEqual(await cached("dates/1900.xlsx"));
    expect(d1904).toEqual(await cached("dates/1904.xlsx"));
    expect(d1900).toEqual(["1900-01-01", "1900-01-11", "1900-04-20", "1903-01-15", "1930-06-02"]);
    expect(d1904).toEqual(["1904-01-02", "1904-01-12", "1904-04-21", "1907-01-16", "1934-06-03"]);
  });

  it("keeps ISO date cells, times, durations, percents and inline-text formula results", async () => {
    const { records } = await collect({ path: fixture("dates/xlsx-stream-d-date-cell.xlsx"), headerRow: 0 });
    const byLabel = Object.fromEntries(records.map((r) => [r.values.column_A, r.values.column_B]));
    expect(byLabel).toMatchObject({
      Date: "2014-02-14T08:27:49",
      Boolean: true,
      "Time Built-in format #18": "12:00:00",
      "Percentage Built-in format #9": 0.5,
      "Duration 36 hours format #46": "36:00:00",
      Formula: "String1",
    });
  });

  it("fills merged ranges with the top-left value, rows absent from the XML included", async () => {
    const { records } = await collect({ path: fixture("merge_cells.xlsx"), headerRow: 0 });
    expect(records.map((r) => [r.place.row, r.values])).toEqual([
      [1, { column_A: "A1:B2", column_B: "A1:B2", column_C: "C1:C2", column_D: "Separate blocks" }],
      [2, { column_A: "A1:B2", column_B: "A1:B2", column_C: "C1:C2", column_D: "Separate blocks" }],
      [3, { column_A: "A3:B3", column_B: "A3:B3", column_C: "C3", column_D: null }],
      [4, { column_A: "… are merged separately", column_B: "… are merged separately", column_C: null, column_D: null }],
    ]);
  });

  it("reports error cells with sheet, row and column letter, and keeps the error text", async () => {
    const { records, issues } = await collect({ path: fixture("ErrorTypes.xlsx") });
    expect(records[0].values.Error).toBe("#NULL!");
    expect(issues[0]).toEqual({
      severity: "warning",
      message: "file ErrorTypes.xlsx, sheet RawErrors, cell A2: the cell holds the error #NULL!",
      place: { file: "ErrorTypes.xlsx", sheet: "RawErrors", row: 2, column: "A" },
    });
  });

  it("uses a chosen header row and gives rich text as plain text", async () => {
    const path = join(dir, "made.xlsx");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Data");
    ws.addRow(["Monthly report"]);
    ws.addRow(["district", "cases", "reported"]);
    ws.addRow([{ richText: [{ text: "Bo " }, { font: { bold: true }, text: "District" }] }, 12, new Date(Date.UTC(2024, 0, 31))]);
    await wb.xlsx.writeFile(path);
    const { records, batches } = await collect({ path, headerRow: 2, name: "report.xlsx" });
    expect(batches[0].table).toBe("Data");
    expect(records).toEqual([
      {
        values: { district: "Bo District", cases: 12, reported: "2024-01-31" },
        place: { file: "report.xlsx", sheet: "Data", row: 3 },
      },
    ]);
  });
});

describe("refusals", () => {
  it("refuses .xls, .ods-like, text and empty files with a message naming the file and the format", async () => {
    await expect(collect({ path: fixture("dates/1900.xls") })).rejects.toThrow(
      /file 1900\.xls: is a legacy Excel 97-2003 \(\.xls, BIFF\) workbook/,
    );
    const csv = join(dir, "data.csv");
    await writeFile(csv, "a,b\n1,2\n");
    await expect(collect({ path: csv })).rejects.toThrow(/file data\.csv: is not an \.xlsx workbook.*upload it as CSV/);
    const empty = join(dir, "empty.xlsx");
    await writeFile(empty, "");
    await expect(collect({ path: empty })).rejects.toBeInstanceOf(SourceFileError);
    const cut = join(dir, "cut.xlsx");
    await writeFile(cut, Buffer.from("PK\x03\x04 truncated", "latin1"));
    await expect(collect({ path: cut })).rejects.toThrow(/file cut\.xlsx: is not a readable \.xlsx workbook/);
  });
});

describe("number formats", () => {
  it("tells date formats from others", () => {
    for (const f of ["yyyy-mm-dd", "m/d/yy", "[$-409]d-mmm-yy", "h:mm AM/PM", "[h]:mm:ss"]) expect(isDateFormat(f)).toBe(true);
    for (const f of ["General", "0.00%", "#,##0", '"days" 0', "[Red]0.00", "0.00E+00"]) expect(isDateFormat(f)).toBe(false);
    expect(isoFromSerial(60, false)).toBe("1900-03-01");
    expect(isoFromSerial(61, false)).toBe("1900-03-01");
    expect(isoFromSerial(45_000.25, false)).toBe("2023-03-15T06:00:00");
  });
});
