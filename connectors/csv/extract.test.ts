import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExtractContext, RawBatch, RunIssue } from "../core/types.ts";
import { extractCsv, previewCsv, SourceFileError } from "./index.ts";

const fixture = (p: string) => fileURLToPath(new URL(`../../../shared/fixtures/${p}`, import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "csv-extract-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function context(signal: AbortSignal) {
  const issues: RunIssue[] = [];
  const ctx: ExtractContext = { signal, progress() {}, report: (i) => issues.push(i), fetch, tempDir: dir };
  return { ctx, issues };
}
async function collect(config: Parameters<typeof extractCsv>[0], signal?: AbortSignal) {
  const { ctx, issues } = context(signal ?? new AbortController().signal);
  const batches: RawBatch[] = [];
  for await (const batch of extractCsv(config, ctx)) batches.push(batch);
  return { batches, records: batches.flatMap((b) => b.records), issues };
}
async function write(name: string, content: string | Uint8Array) {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe("extractCsv on real files", () => {
  it("reads dhis2 analytics dataValues.csv with its space-padded quoted fields", async () => {
    const { records, issues } = await collect({ path: fixture("dhis2-core/analytics-csv/dataValues.csv") });
    expect(issues).toEqual([]);
    expect(records[0]).toEqual({
      values: { dataelement: "deabcdefghA", period: "2017-01", orgunit: "ouabcdefghA", value: "2" },
      place: { file: "dataValues.csv", row: 2 },
    });
    for (const r of records) expect(Object.values(r.values).join("")).not.toContain('"');
    expect(records.at(-1)?.place.row).toBe(records.length + 1);
  });

  it("keeps short rows of W3C test091 padded, with a warning naming the row", async () => {
    const { records, issues } = await collect({ path: fixture("w3c-csvw-tests/test091.csv") });
    expect(records.map((r) => [r.place.row, r.values])).toEqual([
      [2, { col1: "1", col2: "2", col3: "3" }],
      [3, { col1: "1", col2: "2", col3: "" }],
      [4, { col1: "1", col2: "", col3: "" }],
    ]);
    expect(issues.map((i) => [i.severity, i.place])).toEqual([
      ["warning", { file: "test091.csv", row: 3 }],
      ["warning", { file: "test091.csv", row: 4 }],
    ]);
    expect(issues[0].message).toBe("file test091.csv, row 3: expected 3 fields, found 2; missing ones left empty");
  });

  it("skips rows with too many fields as errors and keeps reading (W3C test057, comment line above the header)", async () => {
    const { issues } = await collect({ path: fixture("w3c-csvw-tests/test057.csv"), header: true });
    expect(issues[0]).toMatchObject({ severity: "error", place: { file: "test057.csv", row: 2 } });
    expect(issues[0].message).toMatch(/expected 1 fields \(as in the header\), found 5; row skipped/);
  });

  it("names columns column_1… when there is no header", async () => {
    const { records } = await collect({ path: fixture("dhis2-core/datavalueset/dataValueSetBNoHeader.csv"), header: false });
    expect(records[0].place.row).toBe(1);
    expect(records[0].values.column_1).toBe("f7n9E0hX8qk");
    expect(records[0].values.column_10).toBe("false");
  });
});

describe("extractCsv encodings", () => {
  const text = "district;cases\nBouaké;12\nSão Tomé;7\n";
  for (const [name, bytes, encoding] of [
    ["latin1.csv", iconv.encode(text, "latin1"), "windows-1252"],
    ["utf16le.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, "utf-16le")]), "utf-16le"],
    ["utf16be.csv", Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, "utf-16be")]), "utf-16be"],
    ["utf8bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), "utf-8"],
  ] as const) {
    it(`detects ${name} and decodes accents (no BOM in the first column name)`, async () => {
      const path = await write(name, bytes);
      const preview = await previewCsv(path);
      expect(preview.dialect).toMatchObject({ encoding, delimiter: ";", header: true });
      expect(preview.columns).toEqual(["district", "cases"]);
      const { records } = await collect({ path });
      expect(records.map((r) => r.values)).toEqual([
        { district: "Bouaké", cases: "12" },
        { district: "São Tomé", cases: "7" },
      ]);
    });
  }
});

describe("extractCsv refusals and options", () => {
  it("fails early, naming the file, on empty and binary files", async () => {
    const empty = await write("empty.csv", "");
    const blank = await write("blank.csv", "\n\n  \n");
    const zip = await write("book.csv", Buffer.from("PK\x03\x04\x14\0\0\0", "latin1"));
    const nul = await write("nul.csv", Buffer.from([0x61, 0x2c, 0x00, 0x01, 0x0a]));
    await expect(collect({ path: empty, name: "upload.csv" })).rejects.toThrow("file upload.csv: is empty (0 bytes)");
    await expect(collect({ path: blank })).rejects.toThrow(/blank\.csv: is empty/);
    await expect(collect({ path: zip })).rejects.toThrow(/book\.csv: it is a ZIP archive/);
    await expect(collect({ path: nul })).rejects.toBeInstanceOf(SourceFileError);
    await expect(previewCsv(join(dir, "missing.csv"))).rejects.toThrow(/missing\.csv: cannot be read \(ENOENT\)/);
  });

  it("skips rows above the header and batches records", async () => {
    const lines = ["Report of 2024", "generated by DHIS2", "a,b", ...Array.from({ length: 25 }, (_, i) => `${i},x`)];
    const path = await write("skip.csv", `${lines.join("\n")}\n`);
    const { batches, issues } = await collect({ path, skipRows: 2, batchSize: 10, table: "t" });
    expect(issues).toEqual([]);
    expect(batches.map((b) => [b.table, b.records.length])).toEqual([
      ["t", 10],
      ["t", 10],
      ["t", 5],
    ]);
    expect(batches[0].records[0]).toEqual({ values: { a: "0", b: "x" }, place: { file: "skip.csv", row: 4 } });
  });

  it("reads a multi-megabyte file in many chunks with exact row numbers", async () => {
    const rows = 60_000;
    const body = Array.from({ length: rows }, (_, i) => `${i},"v ${i}\nsecond line"`).join("\r\n");
    const path = await write("big.csv", `id,text\r\n${body}\r\n`);
    const { batches, records, issues } = await collect({ path });
    expect(issues).toEqual([]);
    expect(batches.map((b) => b.records.length)).toEqual([50_000, 10_000]);
    expect(records[54_321]).toEqual({
      values: { id: "54321", text: "v 54321\nsecond line" },
      place: { file: "big.csv", row: 54_323 },
    });
  });

  it("stops when the run is cancelled", async () => {
    const path = await write("cancel.csv", `a\n${"1\n".repeat(300_000)}`);
    const controller = new AbortController();
    controller.abort(new Error("cancelled by user"));
    await expect(collect({ path }, controller.signal)).rejects.toThrow("cancelled by user");
  });
});
