import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { NodeEngine } from "../engine/node.ts";
import { exportCsv, exportJson, exportXlsx, fileNameFor, toTsv } from "./index.ts";
import type { ExportSink } from "./types.ts";

const engine = new NodeEngine();
afterAll(() => engine.close());

/**
 * Every awkward value in one table; `id` orders it. Decimals are chosen to survive DuckDB-WASM's castDecimalToDouble,
 * which turns 1234567.89::DECIMAL into 1234567.8900000001 before any exporter sees it (an engine matter, reported).
 */
const TRICKY = `
SELECT * FROM (VALUES
  (1, 'plain', 1.5::DOUBLE, 9007199254740993::BIGINT, DATE '2024-01-31', TIMESTAMP '2024-01-31 13:45:00', 12.34::DECIMAL(10,2), true),
  (2, 'has "quotes", commas', -0.25::DOUBLE, -42::BIGINT, DATE '1999-12-31', NULL, 0.10::DECIMAL(10,2), false),
  (3, E'line one\\nline two\\r\\nthree', NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 'Kénéma — 東京 ✓ 🦟', 1e21::DOUBLE, 123::BIGINT, DATE '2024-02-29', TIMESTAMP '2024-02-29 00:00:01', -5.00::DECIMAL(10,2), NULL),
  (5, '', 0::DOUBLE, 0::BIGINT, DATE '2024-06-01', NULL, 1234.5::DECIMAL(10,2), true),
  (6, NULL, 3.141592653589793::DOUBLE, '-9223372036854775808'::BIGINT, NULL, NULL, NULL, NULL)
) t(id, name, x, big, day, stamp, amount, flag) ORDER BY id`;

const EXPECTED_TEXT = [
  ["id", "name", "x", "big", "day", "stamp", "amount", "flag"],
  ["1", "plain", "1.5", "9007199254740993", "2024-01-31", "2024-01-31T13:45:00.000Z", "12.34", "true"],
  ["2", 'has "quotes", commas', "-0.25", "-42", "1999-12-31", "", "0.1", "false"],
  ["3", "line one\nline two\r\nthree", "", "", "", "", "", ""],
  ["4", "Kénéma — 東京 ✓ 🦟", "1e+21", "123", "2024-02-29", "2024-02-29T00:00:01.000Z", "-5", ""],
  ["5", "", "0", "0", "2024-06-01", "", "1234.5", "true"],
  ["6", "", "3.141592653589793", "-9223372036854775808", "", "", "", ""],
];

function collector() {
  const chunks: Uint8Array[] = [];
  const sink: ExportSink = { write: (c) => void chunks.push(c) };
  const bytes = () => Buffer.concat(chunks);
  return { sink, chunks, bytes, text: () => bytes().toString("utf8") };
}

function parseCsv(text: string): string[][] {
  const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
  const items = [...parser.push(text), ...parser.end()];
  const errors = items.filter((i) => i.kind === "error");
  expect(errors).toEqual([]);
  return items.flatMap((i) => (i.kind === "record" ? [i.fields] : []));
}

describe("exportCsv", () => {
  it("writes RFC 4180 that the CSV connector parses back to the same values", async () => {
    const out = collector();
    const summary = await exportCsv(engine.stream(TRICKY), out.sink);
    expect(summary.rows).toBe(6);
    expect(summary.bytes).toBe(out.bytes().length);
    expect(parseCsv(out.text())).toEqual(EXPECTED_TEXT);
  });

  it("quotes only when needed, keeps '' apart from NULL, ends lines with CRLF", async () => {
    const out = collector();
    await exportCsv(engine.stream("SELECT 'a b' AS \"col,1\", '' AS e, NULL::VARCHAR AS n, 'x\"y' AS q"), out.sink);
    expect(out.text()).toBe('"col,1",e,n,q\r\na b,"",,"x""y"\r\n');
  });

  it("adds a UTF-8 BOM for Excel on request", async () => {
    const out = collector();
    await exportCsv(engine.stream("SELECT 'é' AS v"), out.sink, { bom: true });
    expect([...out.bytes().subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.text()).toBe("\uFEFFv\r\né\r\n");
  });

  it("writes the header alone for 0 rows", async () => {
    const out = collector();
    const summary = await exportCsv(engine.stream("SELECT 1 AS a, 'x' AS b WHERE false"), out.sink);
    expect(summary.rows).toBe(0);
    expect(out.text()).toBe("a,b\r\n");
  });

  it("streams a large result in bounded chunks into a WritableStream", async () => {
    const sizes: number[] = [];
    let total = 0;
    const sink = new WritableStream<Uint8Array>(
      {
        write(chunk) {
          sizes.push(chunk.byteLength);
          total += chunk.byteLength;
        },
      },
      { highWaterMark: 2 },
    );
    const summary = await exportCsv(
      engine.stream("SELECT i, 'row ' || i AS label, i * 0.5 AS half FROM range(200000) t(i)"),
      sink,
    );
    expect(summary.rows).toBe(200_000);
    expect(total).toBe(summary.bytes);
    expect(sizes.length).toBeGreaterThan(5);
    expect(Math.max(...sizes)).toBeLessThan(1024 * 1024);
  });

  it("stops when cancelled and aborts the stream", async () => {
    const controller = new AbortController();
    let aborted = false;
    const sink = new WritableStream<Uint8Array>({
      write() {
        controller.abort();
      },
      abort() {
        aborted = true;
      },
    });
    await expect(exportCsv(engine.stream("SELECT * FROM range(500000)"), sink, { signal: controller.signal })).rejects.toThrow(
      /cancelled/,
    );
    expect(aborted).toBe(true);
  });
});

describe("exportJson", () => {
  it("writes an array of objects, exact big integers, ISO dates, nulls", async () => {
    const out = collector();
    await exportJson(engine.stream(TRICKY), out.sink);
    const rows = JSON.parse(out.text());
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({
      id: 1,
      name: "plain",
      x: 1.5,
      big: "9007199254740993",
      day: "2024-01-31",
      stamp: "2024-01-31T13:45:00.000Z",
      amount: 12.34,
      flag: true,
    });
    expect(rows[2].name).toBe("line one\nline two\r\nthree");
    expect(rows[2].x).toBeNull();
    expect(rows[3].name).toBe("Kénéma — 東京 ✓ 🦟");
    expect(rows[5].big).toBe("-9223372036854775808");
  });

  it("writes [] for 0 rows and survives raw BigInt values", async () => {
    const empty = collector();
    await exportJson(engine.stream("SELECT 1 AS a WHERE false"), empty.sink);
    expect(JSON.parse(empty.text())).toEqual([]);
    const raw = collector();
    const source = [{ columns: [{ name: "n", type: "HUGEINT" }], rows: [{ n: 2n ** 70n }, { n: 5n }] }];
    await exportJson(source, raw.sink);
    expect(JSON.parse(raw.text())).toEqual([{ n: "1180591620717411303424" }, { n: 5 }]);
  });
});

async function readXlsx(bytes: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

function sheetValues(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const values: unknown[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const v = row.getCell(c).value;
      values.push(v === undefined ? null : v);
    }
    rows.push(values);
  }
  return rows;
}

describe.each(["stream", "buffer"] as const)("exportXlsx (%s)", (mode) => {
  it("writes typed cells that exceljs reads back", async () => {
    const out = collector();
    const summary = await exportXlsx(engine.stream(TRICKY), out.sink, { mode, sheetName: "cases: [by district]" });
    expect(summary.rows).toBe(6);
    const book = await readXlsx(out.bytes());
    const sheet = book.worksheets[0];
    expect(sheet.name).toBe("cases by district");
    const values = sheetValues(sheet);
    expect(values[0]).toEqual(["id", "name", "x", "big", "day", "stamp", "amount", "flag"]);
    expect(values.slice(1)).toEqual([
      [1, "plain", 1.5, "9007199254740993", new Date("2024-01-31T00:00:00Z"), new Date("2024-01-31T13:45:00Z"), 12.34, true],
      [2, 'has "quotes", commas', -0.25, -42, new Date("1999-12-31T00:00:00Z"), null, 0.1, false],
      // XML reading normalizes CRLF inside text to LF (Excel does the same).
      [3, "line one\nline two\nthree", null, null, null, null, null, null],
      [4, "Kénéma — 東京 ✓ 🦟", 1e21, 123, new Date("2024-02-29T00:00:00Z"), new Date("2024-02-29T00:00:01Z"), -5, null],
      // A spreadsheet cell cannot hold an empty string apart from an empty cell.
      [5, null, 0, 0, new Date("2024-06-01T00:00:00Z"), null, 1234.5, true],
      [6, null, Math.PI, "-9223372036854775808", null, null, null, null],
    ]);
    expect(sheet.getRow(2).getCell(5).numFmt).toBe("yyyy-mm-dd");
    expect(sheet.getRow(2).getCell(6).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
  });

  it("writes the header row alone for 0 rows", async () => {
    const out = collector();
    await exportXlsx(engine.stream("SELECT 1 AS a, 'x' AS b WHERE false"), out.sink, { mode });
    const sheet = (await readXlsx(out.bytes())).worksheets[0];
    expect(sheetValues(sheet)).toEqual([["a", "b"]]);
  });

  it("continues on a new sheet, with its header, past the sheet row limit", async () => {
    const out = collector();
    await exportXlsx(engine.stream("SELECT i FROM range(5) t(i) ORDER BY i"), out.sink, { mode, sheetRows: 3 });
    const book = await readXlsx(out.bytes());
    expect(book.worksheets.map((s) => s.name)).toEqual(["Result", "Result (2)", "Result (3)"]);
    expect(book.worksheets.map(sheetValues)).toEqual([
      [["i"], [0], [1]],
      [["i"], [2], [3]],
      [["i"], [4]],
    ]);
  });
});

describe("exportXlsx limits", () => {
  it("refuses results over maxRows with a message naming the way out", async () => {
    const out = collector();
    await expect(exportXlsx(engine.stream("SELECT * FROM range(10)"), out.sink, { mode: "buffer", maxRows: 5 })).rejects.toThrow(
      /more than 5 rows.*CSV or Parquet/,
    );
  });
});

describe("toTsv", () => {
  it("gives spreadsheet-pasteable text", () => {
    const tsv = toTsv(
      [
        { name: "a", type: "VARCHAR" },
        { name: "b", type: "DOUBLE" },
      ],
      [
        { a: "x\ty", b: 1.5 },
        { a: null, b: null },
      ],
    );
    expect(tsv).toBe('a\tb\n"x\ty"\t1.5\n\t\n');
  });
});

describe("fileNameFor", () => {
  it("joins notebook and cell names with safe characters", () => {
    expect(fileNameFor("Malaria — Bo district / 2024", "cases_by_month", "csv")).toBe(
      "Malaria-Bo-district-2024_cases_by_month.csv",
    );
    expect(fileNameFor("Kénéma: 東京", "résumé", ".xlsx")).toBe("Kénéma-東京_résumé.xlsx");
    expect(fileNameFor('../../etc/passwd"\r\n', null, "json")).toBe("etc-passwd.json");
    expect(fileNameFor("", "", "csv")).toBe("export.csv");
    expect(fileNameFor("con", undefined, "csv")).toBe("con_export.csv");
  });

  it("caps the length without splitting a character", () => {
    const name = fileNameFor("東".repeat(150), "cell", "parquet");
    expect(Array.from(name.replace(/\.parquet$/, "")).length).toBe(100);
    expect(name.endsWith(".parquet")).toBe(true);
    expect(name).not.toMatch(/\uFFFD/);
  });
});
