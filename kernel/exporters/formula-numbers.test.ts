import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { NodeEngine } from "../engine/node.ts";
import {
  decimalScale,
  decimalText,
  exportCsv,
  exportJson,
  exportXlsx,
  looksLikeFormula,
  neutraliseFormula,
  type ResultBatch,
  toTsv,
} from "./index.ts";
import type { ExportSink } from "./types.ts";

const engine = new NodeEngine();
afterAll(() => engine.close());

function collector() {
  const chunks: Uint8Array[] = [];
  const sink: ExportSink = { write: (c) => void chunks.push(c) };
  return { sink, bytes: () => Buffer.concat(chunks), text: () => Buffer.concat(chunks).toString("utf8") };
}

function parseCsv(text: string): string[][] {
  const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
  return [...parser.push(text), ...parser.end()].flatMap((i) => (i.kind === "record" ? [i.fields] : []));
}

/** The same batches without their Arrow record batch: the row-object path. */
async function* withoutArrow(source: AsyncIterable<ResultBatch>): AsyncIterable<ResultBatch> {
  for await (const batch of source) yield { columns: batch.columns, rows: batch.rows };
}

const FORMULAS = `SELECT * FROM (VALUES
  (1, '=HYPERLINK("http://evil.example","x")', -5, -5.5::DOUBLE),
  (2, '+1+1', 3, 2.0::DOUBLE),
  (3, '-2+3', 0, -0.25::DOUBLE),
  (4, '@SUM(A1)', 7, 1e21::DOUBLE),
  (5, E'\\tTAB', 1, 0.1::DOUBLE),
  (6, E'\\rCR', 1, 100.0::DOUBLE),
  (7, 'safe = text', 1, NULL),
  (8, '-', -1, -1.0::DOUBLE)
) t(id, text, n, x) ORDER BY id`;

describe("formula injection (CSV, TSV; XLSX keeps text as text)", () => {
  it("neutralises text starting with = + - @ tab CR, and only that", () => {
    for (const t of ["=1", "+1", "-1", "@a", "\tx", "\rx"]) {
      expect(looksLikeFormula(t)).toBe(true);
      expect(neutraliseFormula(t)).toBe(`'${t}`);
    }
    for (const t of ["1", "a=1", " =1", "", "'=1"]) expect(neutraliseFormula(t)).toBe(t);
  });

  it.each(["arrow", "rows"] as const)("CSV (%s path): text gets an apostrophe, numbers stay numbers", async (path) => {
    const out = collector();
    const source = engine.stream(FORMULAS);
    await exportCsv(path === "arrow" ? source : withoutArrow(source), out.sink);
    expect(parseCsv(out.text())).toEqual([
      ["id", "text", "n", "x"],
      ["1", `'=HYPERLINK("http://evil.example","x")`, "-5", "-5.5"],
      ["2", "'+1+1", "3", "2"],
      ["3", "'-2+3", "0", "-0.25"],
      ["4", "'@SUM(A1)", "7", "1e+21"],
      ["5", "'\tTAB", "1", "0.1"],
      ["6", "'\rCR", "1", "100"],
      ["7", "safe = text", "1", ""],
      ["8", "'-", "-1", "-1"],
    ]);
  });

  it("a header that looks like a formula is neutralised too", async () => {
    const out = collector();
    await exportCsv(engine.stream(`SELECT 1 AS "=cmd"`), out.sink);
    expect(out.text()).toBe("'=cmd\r\n1\r\n");
  });

  it("TSV copy: the same rule, negative numbers untouched", () => {
    const tsv = toTsv(
      [
        { name: "t", type: "VARCHAR" },
        { name: "n", type: "INTEGER" },
      ],
      [
        { t: "=1+1", n: -3 },
        { t: "-x", n: 4 },
        { t: "ok", n: null },
      ],
    );
    expect(tsv).toBe("t\tn\n'=1+1\t-3\n'-x\t4\nok\t\n");
  });

  it("XLSX: a text cell starting with = is a string cell, never a formula", async () => {
    const out = collector();
    await exportXlsx(engine.stream(FORMULAS), out.sink, { mode: "buffer" });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(out.bytes() as unknown as ArrayBuffer);
    const cell = book.worksheets[0].getRow(2).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe('=HYPERLINK("http://evil.example","x")');
    expect(book.worksheets[0].getRow(2).getCell(3).value).toBe(-5);
  });
});

describe("numbers", () => {
  it("reads DECIMAL scales", () => {
    expect(decimalScale("DECIMAL(12,2)")).toBe(2);
    expect(decimalScale("decimal(9, 4)")).toBe(4);
    expect(decimalScale("DECIMAL(5)")).toBe(0);
    expect(decimalScale("DECIMAL")).toBe(3);
    expect(decimalScale("DOUBLE")).toBe(-1);
  });

  it("prints a decimal cast to double with its scale: no noise, no lost zeros, no negative zero", () => {
    expect(decimalText(1234567.8900000001, 2)).toBe("1234567.89");
    expect(decimalText(5, 2)).toBe("5.00");
    expect(decimalText(0.1, 2)).toBe("0.10");
    expect(decimalText(-0.001, 2)).toBe("0.00");
    expect(decimalText(-12.345000000000001, 3)).toBe("-12.345");
  });

  const DECIMALS = `SELECT 1234567.89::DECIMAL(12,2) AS amount, 2.0::DOUBLE AS d, 0.10::DECIMAL(5,2) AS small,
    -5.00::DECIMAL(5,2) AS neg, 9007199254740993::BIGINT AS big`;
  const TYPES = { amount: "DECIMAL(12,2)", small: "DECIMAL(5,2)", neg: "DECIMAL(5,2)" };

  it("the browser engine hands DECIMAL over as noisy doubles", async () => {
    const result = await engine.query(DECIMALS);
    expect(result.rows[0].amount).toBe(1234567.8900000001);
  });

  it.each(["arrow", "rows"] as const)("CSV (%s path): DECIMAL by its scale, doubles without .0", async (path) => {
    const out = collector();
    const source = engine.stream(DECIMALS);
    await exportCsv(path === "arrow" ? source : withoutArrow(source), out.sink, { types: TYPES });
    expect(out.text()).toBe("amount,d,small,neg,big\r\n1234567.89,2,0.10,-5.00,9007199254740993\r\n");
  });

  it("JSON: DECIMAL as numbers with the scale's digits, big integers exact", async () => {
    const out = collector();
    await exportJson(engine.stream(DECIMALS), out.sink, { types: TYPES });
    expect(out.text()).toBe('[\n{"amount":1234567.89,"d":2,"small":0.10,"neg":-5.00,"big":"9007199254740993"}\n]\n');
    expect(JSON.parse(out.text())[0].amount).toBe(1234567.89);
  });

  it("exact numeric text (the server's BIGINT and DECIMAL) stays exact in CSV, JSON and XLSX", async () => {
    const source = () => [
      {
        columns: [
          { name: "big", type: "BIGINT" },
          { name: "small", type: "BIGINT" },
          { name: "amount", type: "DECIMAL(38,4)" },
        ],
        rows: [{ big: "-9223372036854775808", small: "42", amount: "12345678901234567890.1234" }],
      },
    ];
    const csv = collector();
    await exportCsv(source(), csv.sink);
    expect(csv.text()).toBe("big,small,amount\r\n-9223372036854775808,42,12345678901234567890.1234\r\n");
    const json = collector();
    await exportJson(source(), json.sink);
    expect(json.text()).toBe('[\n{"big":"-9223372036854775808","small":42,"amount":12345678901234567890.1234}\n]\n');
    const xlsx = collector();
    await exportXlsx(source(), xlsx.sink, { mode: "buffer" });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes() as unknown as ArrayBuffer);
    const row = book.worksheets[0].getRow(2);
    expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value]).toEqual([
      "-9223372036854775808",
      42,
      "12345678901234567890.1234",
    ]);
  });

  it("XLSX: a browser DECIMAL is the rounded number", async () => {
    const out = collector();
    await exportXlsx(engine.stream(DECIMALS), out.sink, { mode: "buffer", types: TYPES });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(out.bytes() as unknown as ArrayBuffer);
    expect(book.worksheets[0].getRow(2).getCell(1).value).toBe(1234567.89);
  });
});

describe("the Arrow column path equals the row path", () => {
  it("for every column kind, NULLs and non-ASCII text", async () => {
    const sql = `SELECT i, 'Kénéma ' || i AS name, CASE WHEN i % 3 = 0 THEN NULL ELSE i * 0.5 END AS half,
      DATE '2024-01-01' + i::INTEGER AS day, i % 2 = 0 AS even, CASE WHEN i % 5 = 0 THEN '' ELSE 'a,"b"' END AS q,
      TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS stamp, [i, i + 1] AS list, i::HUGEINT AS huge
      FROM range(5000) t(i)`;
    const arrow = collector();
    const rows = collector();
    await exportCsv(engine.stream(sql), arrow.sink);
    await exportCsv(withoutArrow(engine.stream(sql)), rows.sink);
    expect(arrow.text().length).toBeGreaterThan(100_000);
    expect(arrow.text()).toBe(rows.text());
  });
});
