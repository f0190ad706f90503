import { describe, expect, it } from "vitest";
import { foldName, type SearchableLocation, searchLocations } from "./location-search.ts";

const row = (id: string, name: string, level: number, parent: SearchableLocation | null): SearchableLocation => ({
  location_id: id,
  name,
  level,
  level_name: ["", "Country", "District", "Chiefdom", "Facility"][level],
  parent_id: parent?.location_id ?? null,
  path: `${parent?.path ?? ""}/${id}`,
});
const sl = row("SL", "Sierra Leone", 1, null);
const bo = row("BO", "Bo", 2, sl);
const badjia = row("BJ", "Badjia", 3, bo);
const boTown = row("BT", "Bo Town", 3, bo);
const ngelehun = row("NG", "Ngelehun CHC", 4, badjia);
const kenema = row("KE", "Kenema", 2, sl);
const kpeje = row("KP", "Kpéjé Bongré", 3, kenema);
const hierarchy = [sl, bo, badjia, boTown, ngelehun, kenema, kpeje];

describe("grant picker location search", () => {
  it("finds any level by name, prefix matches first, higher levels first", () => {
    expect(searchLocations(hierarchy, { q: "bo" }).map((m) => m.name)).toEqual(["Bo", "Bo Town", "Kpéjé Bongré"]);
    expect(searchLocations(hierarchy, { q: "ngelehun" })).toEqual([
      { path: "/SL/BO/BJ/NG", name: "Ngelehun CHC", level: 4, levelName: "Facility", within: ["Sierra Leone", "Bo", "Badjia"] },
    ]);
  });

  it("ignores case and accents, and filters by level", () => {
    expect(foldName("  Kpéjé   BONGRÉ ")).toBe("kpeje bongre");
    expect(searchLocations(hierarchy, { q: "KPEJE" }).map((m) => m.path)).toEqual(["/SL/KE/KP"]);
    expect(searchLocations(hierarchy, { q: "bo", level: 3 }).map((m) => m.name)).toEqual(["Bo Town", "Kpéjé Bongré"]);
  });

  it("lists a level without a query, never the whole tree, and stops at the limit", () => {
    expect(searchLocations(hierarchy, { q: "" })).toEqual([]);
    expect(searchLocations(hierarchy, { q: " ", level: 2 }).map((m) => m.name)).toEqual(["Bo", "Kenema"]);
    expect(searchLocations(hierarchy, { q: "", level: 3, limit: 2 })).toHaveLength(2);
    expect(searchLocations(hierarchy, { q: "zzz" })).toEqual([]);
  });
});
