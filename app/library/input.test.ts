import { describe, expect, it } from "vitest";
import { createSchema, parseInput, splitTags, versionSchema } from "./input.ts";

const good = { name: "  TPR  by  district ", visibility: "workspace", sql: "SELECT 1", tags: ["Malaria", "malaria", " x "] };

describe("library input", () => {
  it("cleans names and tags and defaults the rest", () => {
    const parsed = parseInput(createSchema, good);
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: "TPR by district",
        tags: ["malaria", "x"],
        description: "",
        parameters: [],
        message: "",
      }),
    });
  });
  it("names the field that is wrong", () => {
    expect(parseInput(createSchema, { ...good, name: " " })).toMatchObject({ ok: false, field: "name" });
    expect(parseInput(createSchema, { ...good, sql: "" })).toMatchObject({ ok: false, field: "sql" });
    expect(parseInput(createSchema, { ...good, visibility: "everyone" })).toMatchObject({ ok: false, field: "visibility" });
    expect(parseInput(createSchema, { ...good, visibility: "group" })).toMatchObject({ ok: false, field: "groupId" });
    expect(parseInput(createSchema, null)).toMatchObject({ ok: false, field: "body" });
  });
  it("checks parameters as kernel input definitions, refusing unknown types and duplicate names", () => {
    const ok = parseInput(versionSchema, { sql: "SELECT $n", parameters: [{ name: "n", type: "number", default: 3 }] });
    expect(ok).toMatchObject({
      ok: true,
      value: { parameters: [expect.objectContaining({ name: "n", type: "number", default: 3 })] },
    });
    expect(parseInput(versionSchema, { sql: "x", parameters: [{ name: "n", type: "colour" }] })).toMatchObject({
      ok: false,
      field: "parameters",
    });
    const dup = parseInput(versionSchema, {
      sql: "x",
      parameters: [
        { name: "n", type: "number" },
        { name: "N", type: "text" },
      ],
    });
    expect(dup).toMatchObject({ ok: false, field: "parameters", error: expect.stringContaining("two inputs") });
  });
  it("splits a tag field", () => {
    expect(splitTags(" a, b ,,c ")).toEqual(["a", "b", "c"]);
  });
});
