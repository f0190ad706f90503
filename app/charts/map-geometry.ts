/**
 * Location geometry made fit for a choropleth: parsed from the stored GeoJSON text (untrusted: it came from a DHIS2
 * server), simplified with Douglas–Peucker, rounded, and rewound to the winding d3-geo (Vega's projection) expects.
 * Pure and shared by the geometry route, the report renderer and the tests. See docs/decisions/0011-maps.md.
 */

export type Position = [number, number];
type Ring = Position[];

export type MapGeometry =
  | { type: "Point"; coordinates: Position }
  | { type: "MultiPoint"; coordinates: Position[] }
  | { type: "Polygon"; coordinates: Ring[] }
  | { type: "MultiPolygon"; coordinates: Ring[][] };

export interface LocationFeature {
  type: "Feature";
  id: string;
  geometry: MapGeometry;
  properties: { location_id: string; name: string; level: number };
}

export interface SimplifyOptions {
  /** Largest distance (in degrees) a dropped point may lie from the simplified line. */
  tolerance: number;
  /** Decimal places kept (4 ≈ 11 m at the equator). */
  decimals: number;
}

const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) &&
  p.length >= 2 &&
  typeof p[0] === "number" &&
  typeof p[1] === "number" &&
  Number.isFinite(p[0]) &&
  Number.isFinite(p[1]) &&
  Math.abs(p[0]) <= 180 &&
  Math.abs(p[1]) <= 90;

const isRing = (r: unknown): r is Ring => Array.isArray(r) && r.length >= 4 && r.every(isPosition);
const isPolygon = (p: unknown): p is Ring[] => Array.isArray(p) && p.length >= 1 && p.every(isRing);

/** The geometry of a stored GeoJSON text, or null when it is missing, not JSON, or not a shape a map can draw. */
export function parseGeometry(text: string | null | undefined): MapGeometry | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const g = value as { type?: unknown; coordinates?: unknown; geometry?: unknown };
  if (g && typeof g === "object" && g.type === "Feature") return parseGeometry(JSON.stringify(g.geometry ?? null));
  const c = g?.coordinates;
  const pos = (p: unknown): Position => [(p as number[])[0], (p as number[])[1]];
  switch (g?.type) {
    case "Point":
      return isPosition(c) ? { type: "Point", coordinates: pos(c) } : null;
    case "MultiPoint":
      return Array.isArray(c) && c.length > 0 && c.every(isPosition) ? { type: "MultiPoint", coordinates: c.map(pos) } : null;
    case "Polygon":
      return isPolygon(c) ? { type: "Polygon", coordinates: c.map((r) => r.map(pos)) } : null;
    case "MultiPolygon":
      return Array.isArray(c) && c.length > 0 && c.every(isPolygon)
        ? { type: "MultiPolygon", coordinates: c.map((p) => p.map((r) => r.map(pos))) }
        : null;
    default:
      return null;
  }
}

/** Twice the signed planar area of a closed ring: positive when counter-clockwise (x east, y north). */
export function signedArea2(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

function perpendicularDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / length;
}

/** Douglas–Peucker on an open line (iterative: a 50,000-point coastline must not overflow the stack). */
export function simplifyLine(points: readonly Position[], tolerance: number): Position[] {
  if (points.length <= 2 || tolerance <= 0) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    let farthest = -1;
    let max = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicularDistance(points[i], points[first], points[last]);
      if (d > max) {
        max = d;
        farthest = i;
      }
    }
    if (farthest !== -1) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function roundRing(ring: readonly Position[], decimals: number): Ring {
  const out: Ring = [];
  for (const [x, y] of ring) {
    const p: Position = [roundTo(x, decimals), roundTo(y, decimals)];
    const previous = out[out.length - 1];
    if (!previous || previous[0] !== p[0] || previous[1] !== p[1]) out.push(p);
  }
  return out;
}

/**
 * Douglas–Peucker is quadratic on rings where every point matters, so a ring is first thinned in linear time: points
 * within the tolerance of the last one kept go, and a ring still longer than MAX_RING_POINTS keeps every k-th point
 * (a map a few hundred pixels wide cannot show more; a stored 100,000-point coastline must not stall a request).
 */
export const MAX_RING_POINTS = 4_000;

export function thinRing(open: readonly Position[], tolerance: number): Position[] {
  let kept: Position[] = [];
  if (tolerance > 0) {
    for (const p of open) {
      const last = kept[kept.length - 1];
      if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) > tolerance) kept.push(p);
    }
  } else kept = [...open];
  if (kept.length <= MAX_RING_POINTS) return kept;
  const step = kept.length / MAX_RING_POINTS;
  return Array.from({ length: MAX_RING_POINTS }, (_, i) => kept[Math.floor(i * step)]);
}

/**
 * A simplified, rounded ring, or null when it collapses below a triangle. A closed ring is split at its farthest point
 * from the start, so Douglas–Peucker (which keeps both ends of a line) never keeps only the start.
 */
export function simplifyRing(ring: readonly Position[], options: SimplifyOptions): Ring | null {
  const open = thinRing(ring.slice(0, -1), options.tolerance);
  let split = 0;
  let far = -1;
  for (let i = 1; i < open.length; i++) {
    const d = Math.hypot(open[i][0] - open[0][0], open[i][1] - open[0][1]);
    if (d > far) {
      far = d;
      split = i;
    }
  }
  const firstHalf = simplifyLine(open.slice(0, split + 1), options.tolerance);
  const secondHalf = simplifyLine([...open.slice(split), open[0]], options.tolerance);
  const closed = roundRing([...firstHalf, ...secondHalf.slice(1)], options.decimals);
  const first = closed[0];
  const last = closed[closed.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) closed.push([first[0], first[1]]);
  return closed.length >= 4 ? closed : null;
}

/** d3-geo reads a polygon's exterior ring clockwise and its holes counter-clockwise (the reverse of RFC 7946). */
function windForD3(ring: Ring, exterior: boolean): Ring {
  const counterClockwise = signedArea2(ring) > 0;
  return exterior === counterClockwise ? [...ring].reverse() : ring;
}

function simplifyPolygon(polygon: readonly Ring[], options: SimplifyOptions): Ring[] | null {
  // The exterior falls back to its merely rounded form when simplification would erase it: a small island still shows.
  const exterior = simplifyRing(polygon[0], options) ?? simplifyRing(polygon[0], { tolerance: 0, decimals: options.decimals });
  if (!exterior) return null;
  const holes = polygon
    .slice(1)
    .map((h) => simplifyRing(h, options))
    .filter((h): h is Ring => h !== null);
  return [windForD3(exterior, true), ...holes.map((h) => windForD3(h, false))];
}

/** The geometry simplified, rounded and wound for d3-geo; null when nothing drawable remains. */
export function prepareGeometry(geometry: MapGeometry, options: SimplifyOptions): MapGeometry | null {
  const point = (p: Position): Position => [roundTo(p[0], options.decimals), roundTo(p[1], options.decimals)];
  switch (geometry.type) {
    case "Point":
      return { type: "Point", coordinates: point(geometry.coordinates) };
    case "MultiPoint":
      return { type: "MultiPoint", coordinates: geometry.coordinates.map(point) };
    case "Polygon": {
      const polygon = simplifyPolygon(geometry.coordinates, options);
      return polygon ? { type: "Polygon", coordinates: polygon } : null;
    }
    case "MultiPolygon": {
      const polygons = geometry.coordinates.map((p) => simplifyPolygon(p, options)).filter((p): p is Ring[] => p !== null);
      return polygons.length > 0 ? { type: "MultiPolygon", coordinates: polygons } : null;
    }
  }
}

function* positionsOf(geometry: MapGeometry): Generator<Position> {
  switch (geometry.type) {
    case "Point":
      yield geometry.coordinates;
      return;
    case "MultiPoint":
      yield* geometry.coordinates;
      return;
    case "Polygon":
      for (const ring of geometry.coordinates) yield* ring;
      return;
    case "MultiPolygon":
      for (const polygon of geometry.coordinates) for (const ring of polygon) yield* ring;
  }
}

/** [west, south, east, north] of several geometries, or null when there are none. */
export function boundsOf(geometries: readonly MapGeometry[]): [number, number, number, number] | null {
  let bounds: [number, number, number, number] | null = null;
  for (const g of geometries) {
    for (const [x, y] of positionsOf(g)) {
      if (!bounds) bounds = [x, y, x, y];
      else bounds = [Math.min(bounds[0], x), Math.min(bounds[1], y), Math.max(bounds[2], x), Math.max(bounds[3], y)];
    }
  }
  return bounds;
}

/**
 * Simplification sized to the map being drawn: a tolerance of 1/1500 of the larger side of the extent (under a pixel
 * on a 1000-pixel map), and enough decimals to keep that tolerance. A country's districts then weigh a few KB each,
 * while a map of one chiefdom keeps its detail.
 */
export function simplifyOptionsFor(geometries: readonly MapGeometry[]): SimplifyOptions {
  const bounds = boundsOf(geometries);
  const extent = bounds ? Math.max(bounds[2] - bounds[0], bounds[3] - bounds[1]) : 0;
  const tolerance = extent > 0 ? extent / 1500 : 0;
  const decimals = tolerance > 0 ? Math.min(6, Math.max(2, Math.ceil(-Math.log10(tolerance)) + 1)) : 6;
  return { tolerance, decimals };
}

export interface StoredLocation {
  id: string;
  name: string;
  level: number;
  geometry: string | null;
}

/** Features for the locations that have drawable geometry; the others are listed by name in `missing`. */
export function locationFeatures(locations: readonly StoredLocation[]): {
  features: LocationFeature[];
  missing: { location_id: string; name: string }[];
} {
  const parsed = locations.map((l) => ({ location: l, geometry: parseGeometry(l.geometry) }));
  const options = simplifyOptionsFor(parsed.flatMap((p) => (p.geometry ? [p.geometry] : [])));
  const features: LocationFeature[] = [];
  const missing: { location_id: string; name: string }[] = [];
  for (const { location, geometry } of parsed) {
    const prepared = geometry ? prepareGeometry(geometry, options) : null;
    if (!prepared) {
      missing.push({ location_id: location.id, name: location.name });
      continue;
    }
    features.push({
      type: "Feature",
      id: location.id,
      geometry: prepared,
      properties: { location_id: location.id, name: location.name, level: location.level },
    });
  }
  return { features, missing };
}
