/**
 * The location geometry route on the real server: the Sierra Leone hierarchy in a real SQLite file with the demo's
 * district boundaries matched from the fixtures; 401 for anonymous callers, GeoJSON for signed-in ones (ids, names,
 * level), coordinates rounded, and the caps (keys per request, answer size).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachDemoDistrictGeometry } from "../../app/charts/map-demo-geometry.server.ts";
import { createCatalog } from "../../connectors/core/catalog.ts";
import type { LocationRow } from "../../connectors/core/types.ts";
import { openDatabase } from "../../db/index.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { ANALYST, type RunningServer, repoRoot, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";
import { sierraLeoneHierarchy } from "../helpers/sierra-leone.ts";

const ROUTE = "/locations/geometry.json";

/** A star with `points` spikes around (x, y): detail no simplification may drop (every spike is far above tolerance). */
function star(x: number, y: number, points: number): string {
  const ring: [number, number][] = [];
  for (let i = 0; i < points; i++) {
    const angle = (2 * Math.PI * i) / points;
    const r = i % 2 === 0 ? 0.4 : 0.2;
    ring.push([x + r * Math.cos(angle), y + r * Math.sin(angle)]);
  }
  ring.push(ring[0]);
  return JSON.stringify({ type: "Polygon", coordinates: [ring] });
}

describe("location geometry route", () => {
  let server: RunningServer;
  let viewer: HttpClient;
  let anonymous: HttpClient;
  let hierarchy: LocationRow[];
  const dataDir = tempDataDir();

  beforeAll(async () => {
    hierarchy = sierraLeoneHierarchy();
    const chiefdom = hierarchy.find((l) => l.level === 3) as LocationRow;
    // Level 5: 36 made-up stars of 4,000 points each (no point can be simplified away): over the answer cap together.
    const heavy: LocationRow[] = Array.from({ length: 36 }, (_, i) => ({
      ...chiefdom,
      location_id: `heavy${i}`,
      name: `Heavy ${i}`,
      level: 5,
      level_name: "Heavy",
      parent_id: chiefdom.location_id,
      path: `${chiefdom.path}/heavy${i}`,
      geometry: star(-12 + (i % 6), 8 + Math.floor(i / 6), 3_999),
    }));
    const database = openDatabase(dataDir);
    createCatalog(database.db, path.join(dataDir, "datasets")).replaceHierarchy([...hierarchy, ...heavy]);
    expect(attachDemoDistrictGeometry(database.db, path.resolve(repoRoot, "../shared/fixtures"))).toMatch(
      /12 matched \(12 stored\); no boundary for Western Area/,
    );
    database.close();
    server = await startServer({ dataDir });
    viewer = new HttpClient(server.url);
    anonymous = new HttpClient(server.url);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).status).toBe(302);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const districts = () => hierarchy.filter((l) => l.level === 2);
  const idOf = (name: string) => hierarchy.find((l) => l.level === 2 && l.name === name)?.location_id ?? "";

  it("refuses anonymous callers with 401 (no redirect to an HTML page), for every kind of query", async () => {
    for (const query of [`ids=${idOf("Bo")}`, "name=Bo", "level=2"]) {
      const response = await anonymous.request(`${ROUTE}?${query}`, { headers: { Accept: "application/geo+json" } });
      expect(response.status, query).toBe(401);
      expect(await response.text()).not.toContain("coordinates");
    }
  });

  it("gives a signed-in viewer the asked districts as GeoJSON with location_id, name and level, rounded", async () => {
    const ids = [idOf("Bo"), idOf("Kenema"), idOf("Western Area")];
    const response = await viewer.request(`${ROUTE}?ids=${ids.join(",")}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/geo+json");
    expect(response.headers.get("x-missing-geometry")).toBe("1");
    const body = await response.text();
    const collection = JSON.parse(body);
    expect(collection.type).toBe("FeatureCollection");
    expect(collection.features.map((f: { properties: unknown }) => f.properties)).toEqual(
      expect.arrayContaining([
        { location_id: idOf("Bo"), name: "Bo", level: 2 },
        { location_id: idOf("Kenema"), name: "Kenema", level: 2 },
      ]),
    );
    expect(collection.features).toHaveLength(2);
    expect(collection.missing).toEqual([{ location_id: idOf("Western Area"), name: "Western Area" }]);
    // The fixture has up to nine decimals; a district map keeps at most six (four at this extent).
    const decimals = (body.match(/-?\d+\.\d+/g) ?? []).map((n) => n.split(".")[1].length);
    expect(decimals.length).toBeGreaterThan(10);
    expect(Math.max(...decimals)).toBeLessThanOrEqual(6);
  });

  it("answers by level and by name (normalised: 'Bo District' finds Bo)", async () => {
    const byLevel = await viewer.request(`${ROUTE}?level=2`);
    expect(byLevel.status).toBe(200);
    const levelCollection = await byLevel.json();
    expect(levelCollection.features).toHaveLength(12);
    expect(levelCollection.missing).toHaveLength(districts().length - 12);
    const byName = await viewer.request(`${ROUTE}?name=${encodeURIComponent("Bo District")}&name=Kono`);
    const names = (await byName.json()).features.map((f: { properties: { name: string } }) => f.properties.name).sort();
    expect(names).toContain("Kono");
    expect(names).toContain("Bo");
  });

  it("refuses bad and oversized queries with a message: no query, too many ids, an answer over the size cap", async () => {
    const none = await viewer.request(ROUTE);
    expect(none.status).toBe(400);
    expect(await none.text()).toMatch(/exactly one of/);
    const many = Array.from({ length: 501 }, (_, i) => `id${i}`).join(",");
    const tooMany = await viewer.request(`${ROUTE}?ids=${many}`);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toMatch(/501 locations asked for; at most 500/);
    const heavy = await viewer.request(`${ROUTE}?level=5`);
    expect(heavy.status).toBe(413);
    expect(await heavy.text()).toMatch(/more than the 2000 KB allowed; draw a higher level/);
    // Under the cap the same shapes are served.
    const one = await viewer.request(`${ROUTE}?ids=heavy0`);
    expect(one.status).toBe(200);
  });

  it("an analyst reads it too (any signed-in role)", async () => {
    const analyst = new HttpClient(server.url);
    expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    expect((await analyst.request(`${ROUTE}?ids=${idOf("Bo")}`)).status).toBe(200);
  });
});
