import { readFileSync } from "node:fs";
import { parseExpression } from "vega";
import { describe, expect, test } from "vitest";
import { sierraLeoneHierarchy } from "../../tests/helpers/sierra-leone.ts";
import { assembleMapChart } from "./map-chart.ts";
import { matchDistrictGeometry } from "./map-demo-geometry.server.ts";
import { locationFeatures } from "./map-geometry.ts";
import { NO_VALUE_GREY } from "./map-spec.ts";
import { checkExpression } from "./policy.ts";
import { renderChartSvg } from "./render-server.ts";

/** The demo's districts with the fixture boundaries matched to them, as SQLite would hold them. */
function districtsWithGeometry() {
  const districts = sierraLeoneHierarchy().filter((l) => l.level === 2);
  const collection = JSON.parse(
    readFileSync(new URL("../../../shared/fixtures/dhis2-core/geo/sierra-leone-districts.geojson", import.meta.url), "utf8"),
  );
  const match = matchDistrictGeometry(
    districts.map((d) => ({ id: d.location_id, name: d.name })),
    collection.features,
  );
  return districts.map((d) => ({
    id: d.location_id,
    name: d.name,
    level: 2,
    geometry: match.geometry.get(d.location_id) ?? null,
  }));
}

const shapePaths = (svg: string) => svg.match(/<path [^>]*aria-roledescription="geoshape"[^>]*>/g) ?? [];

describe("server-rendered maps (reports)", () => {
  test("one <path> per district with a boundary, named in its label, in a Mercator SVG with a legend", async () => {
    const locations = districtsWithGeometry();
    const rows = locations.map((l, i) => ({ location_id: l.id, value: (i + 1) * 100 }));
    const { features, missing } = locationFeatures(locations);
    const chart = assembleMapChart(
      { mark: "map", title: "ANC visits", map: { location: "location_id", value: "value" } },
      rows,
      features,
      missing,
    );
    if (!("spec" in chart)) throw new Error(chart.problem);
    // Western Area has no boundary in the fixture: drawn are the other 12, and the notice says so.
    expect(chart.notice).toBe("1 of 13 locations have no boundaries and are not drawn: Western Area");
    const rendered = await renderChartSvg(chart.spec, chart.data, { width: 480 });
    if (!rendered.ok) throw new Error(rendered.problems.map((p) => p.message).join("; "));
    const paths = shapePaths(rendered.svg);
    expect(paths).toHaveLength(12);
    for (const name of ["Bo", "Kenema", "Port Loko", "Tonkolili"]) {
      expect(paths.some((p) => p.includes(`Location: ${name};`) || p.includes(`Location: ${name}"`))).toBe(true);
    }
    expect(paths.every((p) => / d="M[-\d.,LZ ]+"/.test(p))).toBe(true);
    expect(rendered.svg).toContain("ANC visits");
    expect(rendered.svg).toContain("value (sum)");
    expect(rendered.svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  test("each district is filled by its value: the largest value gets the darkest colour", async () => {
    const locations = districtsWithGeometry().filter((l) => l.geometry);
    const rows = locations.map((l, i) => ({ name: l.name, value: i }));
    const chart = assembleMapChart(
      { mark: "map", map: { location: "name", value: "value" } },
      rows,
      locationFeatures(locations).features,
    );
    if (!("spec" in chart)) throw new Error(chart.problem);
    expect(chart.notice).toBeNull();
    const rendered = await renderChartSvg(chart.spec, chart.data, { width: 400 });
    if (!rendered.ok) throw new Error(rendered.problems[0].message);
    const fills = shapePaths(rendered.svg).map((p) => /fill="rgb\((\d+), (\d+), (\d+)\)"/.exec(p)?.slice(1).map(Number) ?? []);
    const lightness = fills.map((rgb) => rgb.reduce((a, b) => a + b, 0));
    expect(lightness[lightness.length - 1]).toBeLessThan(lightness[0]);
  });

  test("a location with a boundary but no number is drawn grey, not left out", async () => {
    const locations = districtsWithGeometry().filter((l) => l.geometry);
    const rows = locations.map((l, i) => ({ location_id: l.id, value: l.name === "Bo" ? null : i }));
    const { features } = locationFeatures(locations);
    const chart = assembleMapChart({ mark: "map", map: { location: "location_id", value: "value" } }, rows, features);
    if (!("spec" in chart)) throw new Error(chart.problem);
    const rendered = await renderChartSvg(chart.spec, chart.data, { width: 400 });
    if (!rendered.ok) throw new Error(rendered.problems[0].message);
    const paths = shapePaths(rendered.svg);
    expect(paths).toHaveLength(12);
    const bo = paths.find((p) => p.includes('Location: Bo"'));
    expect(bo).toContain(`fill="${NO_VALUE_GREY}"`);
    expect(paths.filter((p) => p.includes(NO_VALUE_GREY))).toHaveLength(1);
  });

  test("the continuous legend's gradient(scale, p0, p1) passes the policy; a made-up third argument still does not", () => {
    const ast = (code: string) => parseExpression(code) as never;
    expect(checkExpression(ast('gradient("color", [0, 1], [0, 0])'))).toEqual([]);
    expect(checkExpression(ast('gradient("color", [0, 1], {scales: 1})')).length).toBeGreaterThan(0);
    expect(checkExpression(ast('scale("color", 1, [0, 0])')).length).toBeGreaterThan(0);
  });
});
