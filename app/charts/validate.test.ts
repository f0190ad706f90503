import { beforeAll, describe, expect, test } from "vitest";
import { CHART_LIMITS } from "./limits.ts";
import type { JsonSchema } from "./schema-check.ts";
import { loadVegaLiteSchema, parseSpecText, validateSpec } from "./validate.ts";

let schema: JsonSchema;
beforeAll(async () => {
  schema = await loadVegaLiteSchema();
});

const bar = {
  mark: "bar",
  encoding: { x: { field: "a", type: "nominal" }, y: { field: "b", type: "quantitative", aggregate: "sum" } },
};
const problemsOf = async (input: string | object) => {
  const checked = await validateSpec(input, { schema });
  return checked.ok ? [] : checked.problems;
};

describe("JSON text", () => {
  test("a syntax error names the line and column", () => {
    const text = '{\n  "mark": "bar",\n  "encoding": { "x" 1 }\n}';
    const parsed = parseSpecText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]).toMatchObject({ line: 3, column: 21 });
    expect(parsed.problems[0].message).toMatch(/^spec, line 3, column 21: /);
  });

  test("truncated text points at its end", () => {
    const parsed = parseSpecText('{"mark": "bar",\n"encoding": {');
    expect(parsed.ok ? null : parsed.problems[0]).toMatchObject({ line: 2, column: 14 });
  });

  test("oversized text is refused before parsing", async () => {
    const text = JSON.stringify({ ...bar, description: "x".repeat(CHART_LIMITS.specBytes) });
    expect((await problemsOf(text))[0].message).toMatch(/KB is more than the 100 KB allowed/);
    expect((await problemsOf({ ...bar, description: "x".repeat(CHART_LIMITS.specBytes) }))[0].message).toMatch(
      /more than the 100 KB/,
    );
  });

  test("a non-object is refused", async () => {
    expect((await problemsOf("[1, 2]"))[0].message).toBe("spec: must be a JSON object");
  });
});

describe("Vega-Lite schema", () => {
  test("a valid spec passes and compiles, reading the cell result by default", async () => {
    const checked = await validateSpec(JSON.stringify(bar), { schema });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.vega.data?.some((d) => d.name === "result")).toBe(true);
  });

  test("a misspelt mark, a wrong encoding type and an unknown property are named by path", async () => {
    expect((await problemsOf({ ...bar, mark: "barr" }))[0]).toMatchObject({
      path: "mark",
      message: expect.stringContaining('must be one of "boxplot"'),
    });
    const wrongType = { ...bar, encoding: { ...bar.encoding, x: { field: "a", type: "quantitive" } } };
    expect((await problemsOf(wrongType))[0]).toMatchObject({
      path: "encoding.x.type",
      message: expect.stringContaining('"quantitative"'),
    });
    expect((await problemsOf({ ...bar, encodings: {} }))[0].message).toBe(
      "spec: has an unknown property `encodings` (Vega-Lite schema)",
    );
    expect((await problemsOf({ ...bar, width: "wide" }))[0].path).toBe("width");
  });

  test("without the schema, Vega-Lite's compiler still catches what it cannot build", async () => {
    const checked = await validateSpec({ ...bar, mark: "barr" });
    expect(checked.ok ? null : checked.problems[0].message).toMatch(/^spec: Vega-Lite cannot compile it: /);
    expect(checked.ok).toBe(false);
  });

  test("interactive charts Vega-Lite generates expressions for are not refused by the policy", async () => {
    const interactive = {
      ...bar,
      encoding: { ...bar.encoding, color: { field: "c", type: "nominal" } },
      params: [
        { name: "brush", select: { type: "interval", encodings: ["x"] } },
        { name: "pick", select: { type: "point", on: "click", toggle: "event.shiftKey", fields: ["c"] }, bind: "legend" },
        { name: "size", value: 3, bind: { input: "range", min: 1, max: 5 } },
      ],
      transform: [{ calculate: "datum.b * 2 + length(datum.a)", as: "twice" }, { filter: "datum.b > 0" }],
      title: "Interactive",
    };
    expect(await problemsOf(interactive)).toEqual([]);
    expect(
      await problemsOf({
        facet: { field: "c", type: "nominal" },
        spec: { mark: "point", encoding: { x: { field: "b", type: "quantitative" } } },
      }),
    ).toEqual([]);
  });
});

describe("limits on data written into the spec", () => {
  test("inline rows over the limit are refused; a small lookup table is fine", async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ a: `k${i}`, b: i }));
    expect(await problemsOf({ data: { values: rows(10) }, ...bar })).toEqual([]);
    expect((await problemsOf({ data: { values: rows(CHART_LIMITS.inlineRows + 1) }, ...bar }))[0].message).toMatch(
      /1001 rows written in the spec is more than 1000/,
    );
    expect(
      (await problemsOf({ datasets: { t: rows(CHART_LIMITS.inlineRows + 1) }, data: { name: "t" }, ...bar }))[0].message,
    ).toMatch(/more than 1000/);
  });

  test("generators that would create too many rows are refused", async () => {
    const sequence = { data: { sequence: { start: 0, stop: 1e9, as: "a" } }, ...bar };
    expect((await problemsOf(sequence))[0]).toMatchObject({
      path: "data.sequence",
      message: expect.stringContaining("generates 1000000000 rows"),
    });
    expect((await problemsOf({ data: { sequence: { start: 0, stop: 1, step: 0 } }, ...bar }))[0].message).toMatch(
      /Infinity rows/,
    );
    expect(
      (
        await problemsOf({
          ...bar,
          encoding: { ...bar.encoding, x: { field: "b", bin: { maxbins: 1e7 }, type: "quantitative" } },
        })
      )[0].path,
    ).toBe("encoding.x.bin.maxbins");
  });
});
