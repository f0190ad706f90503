import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { binaryReason, detectDialect, detectEncoding, looksLikeHeader } from "./detect.ts";

describe("detectEncoding", () => {
  it("reads byte-order marks", () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: "utf-8", bomLength: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]))).toEqual({ encoding: "utf-16le", bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]))).toEqual({ encoding: "utf-16be", bomLength: 2 });
  });

  it("takes valid UTF-8 as UTF-8 even when the sample cuts a character", () => {
    const bytes = Buffer.from("district,Kailahun — Kissi Tongi ✓", "utf8");
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1)).encoding).toBe("utf-8");
  });

  it("takes Latin-1 / Windows-1252 text for windows-1252", () => {
    const bytes = iconv.encode("région,santé\nCôte d'Ivoire,Bouaké\nSão Tomé,Príncipe\n", "latin1");
    expect(detectEncoding(bytes).encoding).toBe("windows-1252");
  });
});

describe("binaryReason", () => {
  it("names what a binary file looks like", () => {
    expect(binaryReason(Buffer.from("PK\x03\x04rest", "latin1"), "utf-8")).toMatch(/ZIP/);
    expect(binaryReason(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1]), "utf-8")).toMatch(/\.xls/);
    expect(binaryReason(Buffer.from([0x61, 0, 0x62]), "utf-8")).toMatch(/NUL/);
    expect(binaryReason(Buffer.from([0x61, 0, 0x62, 0]), "utf-16le")).toBeNull();
    expect(binaryReason(Buffer.from("a,b\n1,2\n"), "utf-8")).toBeNull();
  });
});

describe("detectDialect", () => {
  it("finds the delimiter whose rows agree", () => {
    expect(detectDialect("a;b;c\n1,5;2;3\n4;5,5;6\n").delimiter).toBe(";");
    expect(detectDialect("a\tb\n1\t2\n").delimiter).toBe("\t");
    expect(detectDialect("a|b|c\n1|2|3\n").delimiter).toBe("|");
    expect(detectDialect('a,b\n"x;y",2\n').delimiter).toBe(",");
  });

  it("finds a single-quote quote character only when no double quote starts a field", () => {
    expect(detectDialect("a,b\n'x,y',2\n").quote).toBe("'");
    expect(detectDialect('a,b\n"it\'s",2\n').quote).toBe('"');
  });
});

describe("looksLikeHeader", () => {
  it("says no when the first row holds numbers or dates", () => {
    expect(looksLikeHeader(["dataelement", "period", "value"])).toBe(true);
    expect(looksLikeHeader(["f7n9E0hX8qk", "201201", "x"])).toBe(false);
    expect(looksLikeHeader(["a", "2012-01-01"])).toBe(false);
  });
});
