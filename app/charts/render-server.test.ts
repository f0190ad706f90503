import { describe, expect, test } from "vitest";
import { buildSpec, suggestModel } from "./builder.ts";
import { CHART_LIMITS } from "./limits.ts";
import { renderChartSvg } from "./render-server.ts";
import { sanitizeSvg } from "./sanitize-svg.ts";

const columns = [
  { name: "period_start", type: "DATE" },
  { name: "district_name", type: "VARCHAR" },
  { name: "value", type: "DOUBLE" },
];
const rows = [
  { period_start: "2024-01-01", district_name: "Bo", value: 3 },
  { period_start: "2024-02-01", district_name: "Bo", value: 5 },
  { period_start: "2024-01-01", district_name: "Kenema", value: 4 },
  { period_start: "2024-02-01", district_name: "Kenema", value: 6 },
];

describe("server rendering", () => {
  test("a builder chart over base-format rows becomes an SVG with its marks, axes and legend", async () => {
    const spec = buildSpec({ ...suggestModel(columns), title: "Cases by month" }, columns);
    const result = await renderChartSvg(spec, rows, { width: 500 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(result.svg).toContain("Cases by month");
    expect(result.svg).toContain("Kenema");
    expect(result.svg).toMatch(/Jan 2024|Feb 2024/);
    expect(result.svg).toContain('class="mark-line role-mark');
    // "container" width becomes the tile width on the server: the plot frame is 500 wide.
    expect(result.svg).toContain("h500v300h-500Z");
  });

  test("a bar chart draws one rect per category", async () => {
    const spec = buildSpec({ mark: "bar", x: { field: "district_name" }, y: { field: "value", aggregate: "sum" } }, columns);
    const result = await renderChartSvg(spec, rows);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const bars = result.svg.match(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/)?.[1] ?? "";
    expect(bars.match(/<path /g)).toHaveLength(2);
  });

  test("input rows are not modified (Vega tags what it ingests)", async () => {
    const mine = rows.map((r) => ({ ...r }));
    await renderChartSvg(buildSpec(suggestModel(columns), columns), mine);
    expect(mine).toEqual(rows);
    expect(Object.getOwnPropertySymbols(mine[0])).toEqual([]);
  });

  test("too many result rows are refused with a message", async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ district_name: `d${i}`, value: i }));
    const result = await renderChartSvg(buildSpec(suggestModel(columns), columns), many, { maxRows: 10 });
    expect(result).toEqual({
      ok: false,
      problems: [{ message: expect.stringMatching(/^chart data: 11 rows is more than the 10 a chart renders/) }],
    });
    expect(CHART_LIMITS.resultRows).toBeGreaterThanOrEqual(10_000);
  });

  test("a spec the schema rejects is not rendered", async () => {
    const result = await renderChartSvg('{"mark": "bar", "encoding": {"x": {"field": "a", "type": "nominl"}}}', rows);
    expect(result.ok ? null : result.problems[0].path).toBe("encoding.x.type");
  });
});

describe("SVG sanitizer", () => {
  const hostile = [
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">',
    "<script>alert(1)</script><style>*{background:url(https://evil.test/x)}</style>",
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/></div></foreignObject>',
    '<a href="javascript:alert(1)"><text x="1" y="2">link</text></a>',
    '<image href="https://evil.test/i.png" xlink:href="https://evil.test/i.png"/>',
    '<use href="https://evil.test/s.svg#x"/>',
    '<rect width="5" height="5" fill="url(https://evil.test/f)" onclick="alert(1)" style="fill:red"/>',
    '<defs><clipPath id="c1"><rect width="5" height="5"/></clipPath></defs>',
    '<g clip-path="url(#c1)"><path d="M0,0h5" stroke="#000"/></g>',
    '<text x="1" y="1">a &lt;b&gt; &amp; c</text>',
    "</svg>",
  ].join("");

  test("keeps shapes, text, clip paths; drops scripts, foreign content, links, images, handlers and outside URLs", () => {
    const clean = sanitizeSvg(hostile);
    expect(clean).not.toMatch(
      /<script|<style|foreignObject|<a[ >]|<image|<use|onload|onerror|onclick|javascript:|evil\.test|style=/i,
    );
    expect(clean).toContain('<rect width="5" height="5" />');
    expect(clean).toContain('<clipPath id="c1">');
    expect(clean).toContain('<g clip-path="url(#c1)">');
    expect(clean).toContain("a &lt;b&gt; &amp; c");
    expect(clean).toContain("link");
    expect(clean).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" xmlns:xlink="http:\/\/www.w3.org\/1999\/xlink" viewBox="0 0 10 10">/,
    );
  });

  test("output that is not an SVG is an error, not an empty chart", () => {
    expect(() => sanitizeSvg("<script>alert(1)</script>")).toThrow(/not an SVG document/);
  });
});
