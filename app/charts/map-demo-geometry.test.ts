import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { sierraLeoneHierarchy } from "../../tests/helpers/sierra-leone.ts";
import { DEMO_DISTRICTS_GEOJSON, matchDistrictGeometry } from "./map-demo-geometry.server.ts";

const features = JSON.parse(
  readFileSync(new URL(`../../../shared/fixtures/${DEMO_DISTRICTS_GEOJSON}`, import.meta.url), "utf8"),
).features;

describe("demo district boundaries", () => {
  test("the fixture's districts match the demo's 13 by normalised name; Western Area (split in the file) stays unmatched", () => {
    const districts = sierraLeoneHierarchy()
      .filter((l) => l.level === 2)
      .map((l) => ({ id: l.location_id, name: l.name }));
    const match = matchDistrictGeometry(districts, features);
    expect(match.geometry.size).toBe(12);
    expect(match.matched.find((m) => m.location === "Port Loko")).toEqual({
      location: "Port Loko",
      feature: "Port Loko District",
      how: "normalized",
    });
    expect(match.unmatchedDistricts).toEqual(["Western Area"]);
    expect(match.unusedFeatures.sort()).toEqual(["Eastern Area Rural", "Karene District", "Western Area Urban"]);
    const bo = districts.find((d) => d.name === "Bo");
    expect(JSON.parse(match.geometry.get(bo?.id ?? "") ?? "null").type).toBe("MultiPolygon");
  });

  test("a misspelt name matches fuzzily when one feature is clearly closest; each feature is used once", () => {
    const match = matchDistrictGeometry(
      [
        { id: "a", name: "Tonkolil" },
        { id: "b", name: "Kenema" },
        { id: "c", name: "Kenema District" },
      ],
      features,
    );
    expect(match.matched.find((m) => m.location === "Tonkolil")?.how).toBe("fuzzy");
    expect(match.geometry.has("b")).toBe(true);
    expect(match.unmatchedDistricts).toEqual(["Kenema District"]);
  });
});
