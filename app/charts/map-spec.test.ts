import { describe, expect, test } from "vitest";
import { createNameNormalizer } from "../../connectors/harmonize/locations/normalize.ts";
import { buildSpec, parseChartModel } from "./builder.ts";
import { CHART_DATA_NAME } from "./limits.ts";
import { assembleMapChart, mapInputProblem } from "./map-chart.ts";
import type { LocationFeature } from "./map-geometry.ts";
import {
  buildMapSpec,
  joinRowsToFeatures,
  mapChoiceOf,
  matchByOf,
  matchFeaturesByName,
  noBoundariesMessage,
  suggestMapChoice,
} from "./map-spec.ts";
import { checkSpecPolicy } from "./policy.ts";
import { loadVegaLiteSchema, validateSpec } from "./validate.ts";

const square = (x: number, y: number) => ({
  type: "Polygon" as const,
  coordinates: [
    [
      [x, y],
      [x, y + 1],
      [x + 1, y + 1],
      [x + 1, y],
      [x, y],
    ] as [number, number][],
  ],
});
const feature = (id: string, name: string, level = 2, x = 0): LocationFeature => ({
  type: "Feature",
  id,
  geometry: square(x, 0),
  properties: { location_id: id, name, level },
});
const bo = feature("O6uvpzGd5pu", "Bo", 2, 0);
const kenema = feature("kJq2mPyFEHo", "Kenema", 2, 1);
const boChiefdom = feature("boChiefdom1", "Bo", 3, 2);
const byId = new Map([bo, kenema].map((f) => [f.id, f]));

const rows = [
  { location_id: "O6uvpzGd5pu", period_id: "2024Q1", value: 3 },
  { location_id: "O6uvpzGd5pu", period_id: "2024Q2", value: 5 },
  { location_id: "kJq2mPyFEHo", period_id: "2024Q1", value: 4 },
  { location_id: "kJq2mPyFEHo", period_id: "2024Q2", value: null },
];

describe("the map spec", () => {
  test("a geoshape over the result data set, mercator fitted to the features, coloured by value, name and value in the tooltip", () => {
    const spec = buildMapSpec({ location: "location_id", value: "value", scheme: "greens" }, { title: "Cases" }) as never as {
      data: unknown;
      mark: { type: string };
      projection: unknown;
      encoding: { color: { field: string; scale: { scheme: string } }; tooltip: { field: string }[] };
      title: string;
    };
    expect(spec.data).toEqual({ name: CHART_DATA_NAME });
    expect(spec.mark.type).toBe("geoshape");
    expect(spec.projection).toEqual({ type: "mercator" });
    expect(spec.encoding.color.field).toBe("properties.value");
    expect(spec.encoding.color.scale.scheme).toBe("greens");
    expect(spec.encoding.tooltip.map((t) => t.field)).toEqual(["properties.name", "properties.value"]);
    expect(spec.title).toBe("Cases");
    expect(JSON.stringify(spec)).not.toMatch(/"url"/);
    expect(checkSpecPolicy(spec)).toEqual([]);
  });

  test("passes the Vega-Lite schema and the security policy once compiled", async () => {
    const checked = await validateSpec(buildMapSpec({ location: "district", value: "cases" }), {
      schema: await loadVegaLiteSchema(),
      containerWidth: 600,
    });
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  test("the builder's mark 'map' builds it, from its map settings or from x (location) and y (value)", () => {
    const parsed = parseChartModel({ mark: "map", map: { location: "location_id", value: "value", aggregate: "mean" } });
    expect(parsed.ok).toBe(true);
    const fromMap = buildSpec(parsed.ok ? parsed.model : { mark: "map" }, []) as never as { mark: { type: string } };
    expect(fromMap.mark.type).toBe("geoshape");
    expect(mapChoiceOf({ mark: "map", x: { field: "district_name" }, y: { field: "value", aggregate: "max" } } as never)).toEqual(
      { location: "district_name", value: "value", aggregate: "max" },
    );
    // The builder stores only the colours under `map`; location and value come from its X and Y.
    expect(
      mapChoiceOf({ map: { scheme: "reds" }, x: { field: "district" }, y: { field: "cases", aggregate: "none", format: ",d" } }),
    ).toEqual({ location: "district", value: "cases", scheme: "reds", format: ",d" });
    expect(mapChoiceOf({ map: { scheme: "reds" }, x: { field: "district" } })).toBeNull();
    expect(parseChartModel({ mark: "map", map: { scheme: "reds" } }).ok).toBe(true);
    expect(parseChartModel({ mark: "map", map: { location: "x", value: "y", scheme: "rainbow" } }).ok).toBe(false);
  });

  test("location columns ending in id match by id, others by name; the first choice is location_id and value", () => {
    expect(matchByOf({ location: "location_id" })).toBe("id");
    expect(matchByOf({ location: "district_id" })).toBe("id");
    expect(matchByOf({ location: "district_name" })).toBe("name");
    expect(matchByOf({ location: "location_id", matchBy: "name" })).toBe("name");
    expect(
      suggestMapChoice([
        { name: "period_id", type: "VARCHAR" },
        { name: "location_id", type: "VARCHAR" },
        { name: "value", type: "DOUBLE" },
      ]),
    ).toEqual({ location: "location_id", value: "value" });
    expect(suggestMapChoice([{ name: "period_id", type: "VARCHAR" }])).toBeNull();
  });
});

describe("joining rows to features", () => {
  test("rows of one location are combined (sum by default; non-numbers skipped) into the feature's properties", () => {
    const joined = joinRowsToFeatures({ location: "location_id", value: "value" }, rows, byId);
    expect(joined.ok).toBe(true);
    if (!joined.ok) return;
    expect(joined.data.map((f) => [f.properties.name, f.properties.value])).toEqual([
      ["Bo", 8],
      ["Kenema", 4],
    ]);
    expect(joined.data[0].geometry).toEqual(bo.geometry);
    expect(joined.notice).toBeNull();
    const mean = joinRowsToFeatures({ location: "location_id", value: "value", aggregate: "mean" }, rows, byId);
    const count = joinRowsToFeatures({ location: "location_id", value: "value", aggregate: "count" }, rows, byId);
    expect(mean.ok && mean.data.map((f) => f.properties.value)).toEqual([4, 4]);
    const min = joinRowsToFeatures({ location: "location_id", value: "value", aggregate: "min" }, rows, byId);
    const max = joinRowsToFeatures({ location: "location_id", value: "value", aggregate: "max" }, rows, byId);
    expect(min.ok && min.data.map((f) => f.properties.value)).toEqual([3, 4]);
    expect(max.ok && max.data.map((f) => f.properties.value)).toEqual([5, 4]);
    // One location with 100,000 rows (the chart row limit) combines without overflowing the stack.
    const many = Array.from({ length: 100_000 }, (_, i) => ({ location_id: "O6uvpzGd5pu", value: i }));
    const big = joinRowsToFeatures({ location: "location_id", value: "value", aggregate: "max" }, many, byId);
    expect(big.ok && big.data[0].properties.value).toBe(99_999);
    expect(count.ok && count.data.map((f) => f.properties.value)).toEqual([2, 2]);
  });

  test("partial geometry draws what exists and says how many are missing", () => {
    const more = [...rows, { location_id: "fdc6uOvgoji", value: 1 }, { location_id: "jUb8gELQApl", value: 2 }];
    const joined = joinRowsToFeatures({ location: "location_id", value: "value" }, more, byId);
    expect(joined.ok).toBe(true);
    if (!joined.ok) return;
    expect(joined.data).toHaveLength(2);
    expect(joined.missing).toEqual(["fdc6uOvgoji", "jUb8gELQApl"]);
    expect(joined.notice).toBe("2 of 4 locations have no boundaries and are not drawn: fdc6uOvgoji, jUb8gELQApl");
  });

  test("no geometry at all: 'No boundaries for these locations (N of M have none)' listing a few names", () => {
    const names = ["Bo", "Bombali", "Bonthe", "Kailahun", "Kambia", "Kenema", "Kono"].map((name, i) => ({ name, value: i }));
    const joined = joinRowsToFeatures({ location: "name", value: "value" }, names, new Map());
    expect(joined.ok).toBe(false);
    if (joined.ok) return;
    expect(joined.problem).toBe(
      "No boundaries for these locations (7 of 7 have none): Bo, Bombali, Bonthe, Kailahun, Kambia and 2 more",
    );
    expect(noBoundariesMessage([], 0)).toMatch(/location column is empty/);
  });

  test("names match with the hierarchy's normalisation, and the level matching most names wins", () => {
    const normalize = createNameNormalizer().core;
    const matched = matchFeaturesByName(["BO DISTRICT", "Kenema"], [boChiefdom, bo, kenema], normalize);
    expect(matched.get("BO DISTRICT")?.id).toBe(bo.id);
    expect(matched.get("Kenema")?.id).toBe(kenema.id);
    const chiefdomsOnly = matchFeaturesByName(["Bo"], [boChiefdom], normalize);
    expect(chiefdomsOnly.get("Bo")?.id).toBe(boChiefdom.id);
  });

  test("assembleMapChart: spec plus features, or the problem (missing columns, no boundaries)", () => {
    const model = { mark: "map" as const, map: { location: "location_id", value: "value" } };
    const chart = assembleMapChart(model, rows, [bo, kenema]);
    expect("spec" in chart && chart.data).toHaveLength(2);
    expect(assembleMapChart(model, rows, [])).toEqual({
      problem: "No boundaries for these locations (2 of 2 have none): O6uvpzGd5pu, kJq2mPyFEHo",
    });
    expect(mapInputProblem({ mark: "map", map: { location: "district", value: "value" } }, rows)).toBe(
      "map: the result has no column `district`",
    );
    expect(mapInputProblem({ mark: "map" }, rows)).toMatch(/choose the location column/);
  });
});
