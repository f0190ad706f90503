import { describe, expect, it } from "vitest";
import { CsvRecordParser, type ParsedItem, parseCsvText } from "./parser.ts";

const opts = { delimiter: ",", quote: '"' };
const records = (items: ParsedItem[]) => items.map((i) => (i.kind === "record" ? [i.row, i.fields] : [i.row, i.kind]));

describe("CsvRecordParser", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks, keeping row numbers per record", () => {
    const items = parseCsvText('a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\n\nlast,row', opts);
    expect(records(items)).toEqual([
      [1, ["a", "b"]],
      [2, ["x, y", 'say "hi"']],
      [3, ["two\nlines", "z"]],
      [4, "blank"],
      [5, ["last", "row"]],
    ]);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'h1,h2\r\n"q ""1""","multi\r\nline"\r\n  "padded" , x\r\n,\r\n';
    const whole = parseCsvText(text, opts);
    for (let size = 1; size <= 7; size++) {
      const parser = new CsvRecordParser(opts);
      const items: ParsedItem[] = [];
      for (let i = 0; i < text.length; i += size) items.push(...parser.push(text.slice(i, i + size)));
      items.push(...parser.end());
      expect(items).toEqual(whole);
    }
    expect(records(whole)).toEqual([
      [1, ["h1", "h2"]],
      [2, ['q "1"', "multi\r\nline"]],
      [3, ["padded", " x"]],
      [4, ["", ""]],
    ]);
  });

  it("accepts spaces before an opening quote (dhis2 analytics CSV style)", () => {
    const items = parseCsvText('"de",    "2017-01",   "a, b"\n', opts);
    expect(records(items)).toEqual([[1, ["de", "2017-01", "a, b"]]]);
  });

  it("reports text after a closing quote and goes on with the next line", () => {
    const items = parseCsvText('a,b\n"x"y,2\n3,4\n', opts);
    expect(items[1]).toMatchObject({ kind: "error", row: 2, column: 1 });
    expect(records(items)[2]).toEqual([3, ["3", "4"]]);
  });

  it("reports an unterminated quote at the end and re-reads the lines it swallowed", () => {
    const items = parseCsvText('a,b\n1,"open\n2,3\n4,5\n', opts);
    expect(items[1]).toMatchObject({ kind: "error", row: 2, column: 2 });
    expect(items[1].kind === "error" && items[1].message).toMatch(/never closed/);
    expect(records(items.slice(2))).toEqual([
      [3, ["2", "3"]],
      [4, ["4", "5"]],
    ]);
  });

  it("gives up on a record that stays open too long instead of buffering the whole file", () => {
    const parser = new CsvRecordParser({ ...opts, maxRecordChars: 100 });
    const out = parser.push(`a\n"${"x".repeat(50)}\n${"y,".repeat(100)}\nlast\n`);
    out.push(...parser.end());
    expect(out[1]).toMatchObject({ kind: "error", row: 2 });
    expect(records(out).at(-1)).toEqual([4, ["last"]]);
  });

  it("handles CR-only line ends, tabs and a trailing empty field", () => {
    const items = parseCsvText("a\tb\rc\t\r", { delimiter: "\t", quote: '"' });
    expect(records(items)).toEqual([
      [1, ["a", "b"]],
      [2, ["c", ""]],
    ]);
  });
});
