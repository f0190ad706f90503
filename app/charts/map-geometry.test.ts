import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  locationFeatures,
  MAX_RING_POINTS,
  type MapGeometry,
  type Position,
  parseGeometry,
  prepareGeometry,
  roundTo,
  signedArea2,
  simplifyLine,
  simplifyOptionsFor,
  simplifyRing,
  thinRing,
} from "./map-geometry.ts";

const fixture = JSON.parse(
  readFileSync(new URL("../../../shared/fixtures/dhis2-core/geo/sierra-leone-districts.geojson", import.meta.url), "utf8"),
) as { features: { id: string; properties: { name: string }; geometry: unknown }[] };

/** A square with many collinear points on each side, counter-clockwise as RFC 7946 writes exteriors. */
function denseSquare(size = 1, steps = 50): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < steps; i++) ring.push([(size * i) / steps, 0]);
  for (let i = 0; i < steps; i++) ring.push([size, (size * i) / steps]);
  for (let i = 0; i < steps; i++) ring.push([size - (size * i) / steps, size]);
  for (let i = 0; i < steps; i++) ring.push([0, size - (size * i) / steps]);
  ring.push([0, 0]);
  return ring;
}

describe("parsing stored geometry (untrusted text from a DHIS2 server)", () => {
  test("polygons, multipolygons, points and a Feature wrapper are read", () => {
    expect(parseGeometry('{"type":"Point","coordinates":[-11.7,8.0]}')).toEqual({ type: "Point", coordinates: [-11.7, 8] });
    const feature = JSON.stringify({ type: "Feature", geometry: { type: "Polygon", coordinates: [denseSquare(1, 2)] } });
    expect(parseGeometry(feature)?.type).toBe("Polygon");
    expect(parseGeometry(JSON.stringify(fixture.features[1].geometry))?.type).toBe("MultiPolygon");
  });

  test("missing, broken or undrawable geometry is null, not an error", () => {
    for (const text of [
      null,
      "",
      "not json",
      '{"type":"LineString","coordinates":[[0,0],[1,1]]}',
      '{"type":"Point","coordinates":[200,0]}',
      '{"type":"Point","coordinates":["1","2"]}',
      '{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}',
      '{"type":"MultiPolygon","coordinates":[]}',
      '{"type":"Polygon","coordinates":{"constructor":1}}',
    ]) {
      expect(parseGeometry(text), String(text)).toBeNull();
    }
  });
});

describe("simplification, rounding and winding", () => {
  test("Douglas–Peucker drops points within the tolerance and keeps the corners", () => {
    const line: Position[] = [
      [0, 0],
      [1, 0.001],
      [2, 0],
      [3, 1],
    ];
    expect(simplifyLine(line, 0.01)).toEqual([
      [0, 0],
      [2, 0],
      [3, 1],
    ]);
    expect(simplifyLine(line, 0.0001)).toEqual(line);
  });

  test("a dense square becomes its four corners, closed", () => {
    const prepared = prepareGeometry(
      { type: "Polygon", coordinates: [denseSquare()] },
      { tolerance: 0.001, decimals: 4 },
    ) as Extract<MapGeometry, { type: "Polygon" }>;
    expect(prepared.coordinates[0]).toHaveLength(5);
    expect(prepared.coordinates[0][0]).toEqual(prepared.coordinates[0][4]);
  });

  test("coordinates are rounded to the decimals asked for", () => {
    expect(roundTo(-12.644405338, 4)).toBe(-12.6444);
    const point = prepareGeometry({ type: "Point", coordinates: [-12.644405338, 9.013335116] }, { tolerance: 0, decimals: 3 });
    expect(point).toEqual({ type: "Point", coordinates: [-12.644, 9.013] });
  });

  test("exteriors are wound clockwise and holes counter-clockwise, as d3-geo reads them", () => {
    const hole = denseSquare(0.2, 4).map(([x, y]) => [x + 0.4, y + 0.4] as Position);
    const exterior = denseSquare(1, 4);
    expect(signedArea2(exterior)).toBeGreaterThan(0);
    const prepared = prepareGeometry(
      { type: "Polygon", coordinates: [exterior, [...hole].reverse()] },
      { tolerance: 0, decimals: 6 },
    ) as Extract<MapGeometry, { type: "Polygon" }>;
    expect(signedArea2(prepared.coordinates[0])).toBeLessThan(0);
    expect(signedArea2(prepared.coordinates[1])).toBeGreaterThan(0);
  });

  test("a ring that collapses is dropped; a polygon whose exterior collapses even unsimplified is null", () => {
    const tiny: Position[] = [
      [0, 0],
      [0.00001, 0],
      [0.00001, 0.00001],
      [0, 0],
    ];
    expect(prepareGeometry({ type: "Polygon", coordinates: [tiny] }, { tolerance: 0.1, decimals: 2 })).toBeNull();
    const kept = prepareGeometry({ type: "Polygon", coordinates: [denseSquare(), tiny] }, { tolerance: 0.1, decimals: 2 });
    expect((kept as Extract<MapGeometry, { type: "Polygon" }>).coordinates).toHaveLength(1);
  });

  test("a huge ring is thinned in linear time before Douglas–Peucker (which is quadratic where every point matters)", () => {
    // A 100,000-point star: every spike is far above the tolerance, the worst case for Douglas–Peucker.
    const star: Position[] = Array.from({ length: 100_000 }, (_, i) => {
      const angle = (2 * Math.PI * i) / 100_000;
      const r = i % 2 === 0 ? 0.4 : 0.2;
      return [r * Math.cos(angle), r * Math.sin(angle)];
    });
    expect(thinRing(star, 0.0001)).toHaveLength(MAX_RING_POINTS);
    const started = performance.now();
    const ring = simplifyRing([...star, star[0]], { tolerance: 0.0001, decimals: 5 });
    expect(ring?.length).toBeLessThanOrEqual(MAX_RING_POINTS + 1);
    // Not a timing assertion on the machine: the point is that it finishes at all (the quadratic path took minutes).
    expect(performance.now() - started).toBeLessThan(20_000);
    const dense: Position[] = Array.from({ length: 1000 }, (_, i) => [i * 0.00001, 0]);
    expect(thinRing(dense, 0.001).length).toBeLessThan(20);
  });

  test("the tolerance follows the extent drawn: a country map is simplified more than a chiefdom map", () => {
    const country = simplifyOptionsFor([{ type: "Polygon", coordinates: [denseSquare(3)] }]);
    const chiefdom = simplifyOptionsFor([{ type: "Polygon", coordinates: [denseSquare(0.05)] }]);
    expect(country.tolerance).toBeCloseTo(0.002, 6);
    expect(country.decimals).toBe(4);
    expect(chiefdom.tolerance).toBeLessThan(country.tolerance);
    expect(chiefdom.decimals).toBeGreaterThan(country.decimals);
  });
});

describe("location features", () => {
  test("the Sierra Leone districts become features with location_id, name and level; unusable shapes are listed", () => {
    const locations = fixture.features.map((f) => ({
      id: f.id,
      name: f.properties.name,
      level: 2,
      geometry: JSON.stringify(f.geometry),
    }));
    locations.push({ id: "noGeom", name: "Nowhere", level: 2, geometry: null as unknown as string });
    const { features, missing } = locationFeatures(locations);
    // Karene's test shape is a two-point "ring": not drawable.
    expect(missing.map((m) => m.name).sort()).toEqual(["Karene District", "Nowhere"]);
    expect(features).toHaveLength(14);
    const bo = features.find((f) => f.id === "BoDi5678901");
    expect(bo?.properties).toEqual({ location_id: "BoDi5678901", name: "Bo District", level: 2 });
    const text = JSON.stringify(features);
    expect(text.length).toBeLessThan(JSON.stringify(fixture.features).length);
    // Every coordinate is rounded to the collection's decimals (4 for a country-sized extent).
    for (const n of text.match(/-?\d+\.\d+/g) ?? []) expect(n.split(".")[1].length).toBeLessThanOrEqual(4);
  });
});
