import { describe, expect, it } from "vitest";
import { CellFormatter, clipboardText, columnKind, decimalScale, formatDuration, rawText, toDate } from "./format.ts";

// Intl output uses narrow no-break spaces in some locales; compare with plain spaces.
const plain = (s: string | null) => s?.replace(/[\u202f\u00a0]/g, " ") ?? null;

describe("columnKind", () => {
  it.each([
    ["BIGINT", "integer"],
    ["HUGEINT", "integer"],
    ["UBIGINT", "integer"],
    ["Int64", "integer"],
    ["DOUBLE", "float"],
    ["Float64", "float"],
    ["DECIMAL(18,3)", "decimal"],
    ["DATE", "date"],
    ["Date32<DAY>", "date"],
    ["TIMESTAMP", "timestamp"],
    ["TIMESTAMP_MS", "timestamp"],
    ["TIMESTAMP WITH TIME ZONE", "timestamptz"],
    ["TIMESTAMPTZ", "timestamptz"],
    ["Timestamp<MICROSECOND, UTC>", "timestamptz"],
    ["TIME", "time"],
    ["BOOLEAN", "boolean"],
    ["VARCHAR", "text"],
    ["INTERVAL", "text"],
    ["Utf8", "text"],
  ])("%s is %s", (type, kind) => {
    expect(columnKind(type)).toBe(kind);
  });

  it("reads the scale of a decimal", () => {
    expect(decimalScale("DECIMAL(18, 3)")).toBe(3);
    expect(decimalScale("DOUBLE")).toBeUndefined();
  });
});

describe("CellFormatter", () => {
  const en = new CellFormatter("en-US");
  const fr = new CellFormatter("fr-FR");
  const pt = new CellFormatter("pt-BR");

  it("keeps NULL distinct from empty text", () => {
    expect(en.format(null, "VARCHAR")).toBeNull();
    expect(en.format(undefined, "INTEGER")).toBeNull();
    expect(en.format("", "VARCHAR")).toBe("");
  });

  it("groups integers by locale", () => {
    expect(en.format(1234567, "INTEGER")).toBe("1,234,567");
    expect(plain(fr.format(1234567, "INTEGER"))).toBe("1 234 567");
    expect(pt.format(1234567, "INTEGER")).toBe("1.234.567");
  });

  it("formats BigInt and integer text exactly, beyond 2^53", () => {
    expect(en.format(12345678901234567891n, "HUGEINT")).toBe("12,345,678,901,234,567,891");
    expect(en.format("-170141183460469231731687303715884105727", "HUGEINT")).toBe(
      "-170,141,183,460,469,231,731,687,303,715,884,105,727",
    );
    expect(en.format(9007199254740993n, "BIGINT")).toBe("9,007,199,254,740,993");
  });

  it("formats exact decimal text without rounding, with the locale's separator", () => {
    expect(en.format("12345678901234567890.125", "DECIMAL(38,3)")).toBe("12,345,678,901,234,567,890.125");
    expect(plain(fr.format("1234.50", "DECIMAL(10,2)"))).toBe("1 234,50");
    expect(en.format("-0.5", "DECIMAL(4,1)")).toBe("-0.5");
  });

  it("shows a decimal column's scale and a double's useful digits", () => {
    expect(en.format(2.5, "DECIMAL(10,2)")).toBe("2.50");
    expect(en.format(0.1 + 0.2, "DOUBLE")).toBe("0.3");
    expect(plain(fr.format(1234.5678, "DOUBLE"))).toBe("1 234,5678");
    expect(en.format(Number.NaN, "DOUBLE")).toBe("NaN");
  });

  it("formats dates in UTC so no reader sees the day shift", () => {
    const ms = Date.UTC(2024, 0, 31);
    expect(en.format(ms, "DATE")).toBe("Jan 31, 2024");
    expect(fr.format(new Date(ms), "DATE")).toBe("31 janv. 2024");
    expect(pt.format("2024-01-31", "DATE")).toMatch(/31.*jan.*2024/);
  });

  it("formats timestamps by locale", () => {
    const ms = Date.UTC(2024, 6, 1, 13, 5, 9);
    expect(plain(en.format(ms, "TIMESTAMP"))).toBe("Jul 1, 2024, 1:05:09 PM");
    expect(fr.format("2024-07-01 13:05:09", "TIMESTAMP")).toContain("13:05:09");
  });

  it("falls back to raw text for unparseable dates and nested values", () => {
    expect(en.format("not a date", "DATE")).toBe("not a date");
    expect(en.format({ a: 1n, b: [1, null] }, "STRUCT(a BIGINT, b INTEGER[])")).toBe('{"a":"1","b":[1,null]}');
    expect(en.format(true, "BOOLEAN")).toBe("true");
  });

  it("survives a malformed locale tag", () => {
    expect(new CellFormatter("not_a_locale!!").format(1000, "INTEGER")).toBe("1,000");
  });

  it("formats counts", () => {
    expect(en.count(10000)).toBe("10,000");
  });
});

describe("clipboard and raw text", () => {
  it("copies locale-neutral values", () => {
    expect(clipboardText(1234.5, "DOUBLE")).toBe("1234.5");
    expect(clipboardText(12345678901234567891n, "HUGEINT")).toBe("12345678901234567891");
    expect(clipboardText(Date.UTC(2024, 0, 31), "DATE")).toBe("2024-01-31");
    expect(clipboardText(Date.UTC(2024, 0, 31, 8, 30), "TIMESTAMP")).toBe("2024-01-31 08:30:00");
    expect(clipboardText(null, "VARCHAR")).toBe("");
  });

  it("renders bytes as hex", () => {
    expect(rawText(new Uint8Array([0, 255]))).toBe("\\x00ff");
  });

  it("reads dates from several shapes", () => {
    expect(toDate("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(toDate("garbage")).toBeUndefined();
    expect(toDate(0)?.toISOString()).toBe("1970-01-01T00:00:00.000Z");
  });
});

describe("formatDuration", () => {
  it("picks a unit for the size", () => {
    expect(plain(formatDuration(85, "en"))).toBe("85 ms");
    expect(plain(formatDuration(1432, "en"))).toBe("1.43 sec");
    expect(plain(formatDuration(1432, "fr"))).toBe("1,43 s");
    expect(plain(formatDuration(125_000, "en"))).toBe("2 min 05 sec");
    expect(formatDuration(-1, "en")).toBe("");
  });
});
