import { describe, expect, it } from "vitest";
import { decimalString, escapeAttribute, XmlTextError } from "./xml-escape.ts";

describe("escapeAttribute", () => {
  it("escapes markup, quotes and the white space XML would flatten", () => {
    expect(escapeAttribute(`a & b <c> "d" 'e'\tf\ng\rh`, "x")).toBe("a &amp; b &lt;c&gt; &quot;d&quot; 'e'&#9;f&#10;g&#13;h");
  });

  it("leaves non-ASCII text as it is (the document is UTF-8)", () => {
    expect(escapeAttribute("Kénéma · 😀 · 日本", "x")).toBe("Kénéma · 😀 · 日本");
  });

  it.each(["\u0001", "a\u001Fb", "\uFFFE", "\uD800", "x\uDC00"])("refuses characters XML cannot carry: %j", (text) => {
    expect(() => escapeAttribute(text, "field f: value")).toThrow(XmlTextError);
    expect(() => escapeAttribute(text, "field f: value")).toThrow(/^field f: value: character U\+[0-9A-F]{4} cannot be written/);
  });
});

describe("decimalString", () => {
  it.each([
    [0, "0"],
    [-0, "0"],
    [42, "42"],
    [-3.25, "-3.25"],
    [1e21, "1000000000000000000000"],
    [1.5e22, "15000000000000000000000"],
    [-2.5e-7, "-0.00000025"],
    [1e-7, "0.0000001"],
    [1.2345e-10, "0.00000000012345"],
    [123456789.125, "123456789.125"],
  ])("%d → %s", (n, text) => {
    expect(decimalString(n)).toBe(text);
    expect(Number(text)).toBe(n === 0 ? 0 : n);
  });

  it("refuses NaN and infinities", () => {
    expect(() => decimalString(Number.NaN)).toThrow(XmlTextError);
    expect(() => decimalString(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
  });
});
