import { describe, expect, it } from "vitest";
import { isXmlName, parseDisaggregation, serializeDisaggregation } from "./disaggregation.ts";

describe("serializeDisaggregation", () => {
  it("sorts by attribute name, whatever the order written", () => {
    expect(serializeDisaggregation({ SEX: "F", AGE_GROUP: "15-24" })).toBe("AGE_GROUP=15-24|SEX=F");
    expect(serializeDisaggregation({ AGE_GROUP: "15-24", SEX: "F" })).toBe("AGE_GROUP=15-24|SEX=F");
  });

  it("sorts by code unit, not by locale (upper case before lower case)", () => {
    expect(serializeDisaggregation({ sex: "M", Age: "1", _x: "2" })).toBe("Age=1|_x=2|sex=M");
  });

  it("is null without attributes", () => {
    expect(serializeDisaggregation({})).toBeNull();
  });

  it("escapes the separators inside values", () => {
    expect(serializeDisaggregation({ a: "x|y=z\\w" })).toBe("a=x\\|y\\=z\\\\w");
  });
});

describe("parseDisaggregation", () => {
  it.each<Record<string, string>>([
    { a: "1" },
    { AGE_GROUP: "P0Y--P1Y", SEX: "F" },
    { a: "x|y=z\\w", b: "" },
    { été: 'Été & "quoted" <5>', n: "😀" },
  ])("inverts serializeDisaggregation: %j", (attrs) => {
    const text = serializeDisaggregation(attrs)!;
    expect(parseDisaggregation(text)).toEqual(attrs);
  });

  it.each([
    "Female, <5", // a DHIS2 category option combo name
    "",
    "SEX=F|AGE_GROUP=15-24", // not sorted: not what serialize writes
    "a=1|a=2",
    "a=1|",
    "a=x=y",
    "a=\\n",
    "a=1\\",
    "1a=2",
    "xmlns=urn:x",
  ])("refuses text serialize would not write: %j", (text) => {
    expect(parseDisaggregation(text)).toBeNull();
  });
});

describe("isXmlName", () => {
  it("accepts ADX attribute names and refuses others", () => {
    expect(["SEX", "AGE_GROUP", "Age.category", "sexe-é", "_x"].every(isXmlName)).toBe(true);
    expect(["", "1a", "-a", "a b", "a:b", "xmlns", "a|b"].some(isXmlName)).toBe(false);
  });
});
