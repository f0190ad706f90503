import { describe, expect, it } from "vitest";
import { type Dhis2OrgUnit, hierarchyFromDhis2OrgUnits } from "./dhis2-org-units.ts";
import { fixtureText, parseSimpleCsv, sierraLeoneUnits } from "./fixtures.ts";
import { buildHierarchy } from "./hierarchy.ts";
import type { NeedsReview } from "./match-types.ts";
import { createMatcher } from "./matcher.ts";
import { createNameNormalizer } from "./normalize.ts";
import { UnmatchedReport } from "./unmatched.ts";

const sl = sierraLeoneUnits();
const { locations, issues } = hierarchyFromDhis2OrgUnits(sl.units as Dhis2OrgUnit[], sl.levels as []);
const BO = "O6uvpzGd5pu";
const BADJIA = "YuQRtpLP10I";
const NGELEHUN_CHC = "DiszpKrYNg8";

describe("createMatcher on the Sierra Leone hierarchy", () => {
  const matcher = createMatcher(locations);

  it("has the hierarchy it is tested on", () => {
    expect(issues).toEqual([]);
    expect(locations.length).toBe(166 + 15 + 2);
  });

  it("matches exact ids and codes first", () => {
    expect(matcher.match({ id: BO, name: "anything" })).toEqual({ status: "matched", locationId: BO, method: "id", score: 1 });
    expect(matcher.match({ code: "OU_559" })).toEqual({ status: "matched", locationId: NGELEHUN_CHC, method: "code", score: 1 });
    // An id of the wrong level is not taken; the name is tried instead.
    expect(matcher.match({ id: BO, name: "Badjia", level: 3 })).toMatchObject({ locationId: BADJIA, method: "name-in-parent" });
  });

  it("matches an exact name within its parent", () => {
    expect(matcher.match({ name: "Ngelehun CHC", parentId: BADJIA })).toMatchObject({
      locationId: NGELEHUN_CHC,
      method: "name-in-parent",
    });
    expect(matcher.match({ name: "Bo", level: 2 })).toMatchObject({ locationId: BO, method: "name-in-parent" });
  });

  it("matches normalized names: case, accents, punctuation, spacing and type words", () => {
    const cases: [Parameters<typeof matcher.match>[0], string][] = [
      [{ name: "Bo District", level: 2 }, BO],
      [{ name: "BO", level: 2 }, BO],
      [{ name: "Badjia Chiefdom", parentName: "Bo District" }, BADJIA],
      [{ name: "  bâdjia ", parentId: BO }, BADJIA],
      [{ name: "Ngelehun", parentName: "Badjia" }, NGELEHUN_CHC],
      [{ name: "ngelehun c.h.c", parentId: BADJIA, level: 4 }, NGELEHUN_CHC],
      [{ name: "Soro Gbeima", level: 3 }, locations.find((l) => l.name === "Soro-Gbeima")?.location_id ?? "?"],
      [{ name: "Fullah Town (B. Sebora) MCHP" }, "aQoqXL4cZaF"],
    ];
    for (const [query, expected] of cases) {
      expect(matcher.match(query), JSON.stringify(query)).toMatchObject({
        status: "matched",
        locationId: expected,
        method: "normalized",
      });
    }
  });

  it("keeps levels apart: 'Bo' at chiefdom level is not the district, 'Small Bo' is not 'Bo'", () => {
    const result = matcher.match({ name: "Bo", level: 3 });
    expect(result.status).toBe("review");
    expect((result as NeedsReview).suggestions.map((s) => s.locationId)).not.toContain(BO);
  });

  it("matches a typo fuzzily above the threshold", () => {
    const result = matcher.match({ name: "Kissi Tonji", level: 3 });
    expect(result).toMatchObject({ status: "matched", locationId: "hjpHnHZIniP", method: "fuzzy" });
    expect((result as { score: number }).score).toBeCloseTo(1 - 1 / 11, 6);
  });

  it("does not count word order in the fuzzy step", () => {
    expect(matcher.match({ name: "Makeni Govt Hospital", parentId: "KKkLOTpMXGV" })).toEqual({
      status: "matched",
      locationId: "GQcsUZf81vP",
      method: "fuzzy",
      score: 1,
    });
  });

  it("sends two equally good candidates to review instead of guessing", () => {
    // "kissi tong" is one edit from both "kissi tongi" (0.909) and "kissi teng" (0.900).
    const result = matcher.match({ name: "Kissi Tong", parentName: "Kailahun" });
    expect(result).toMatchObject({ status: "review", reason: "ambiguous" });
    const suggestions = (result as NeedsReview).suggestions;
    expect(suggestions.slice(0, 2).map((s) => s.name)).toEqual(["Kissi Tongi", "Kissi Teng"]);
    expect(suggestions[0].pathNames).toEqual(["Sierra Leone", "Kailahun", "Kissi Tongi"]);
  });

  it("sends several exact normalized hits to review", () => {
    const twins = [
      ...locations,
      {
        ...locations.find((l) => l.location_id === NGELEHUN_CHC)!,
        location_id: "twin",
        name: "NGELEHUN CHC",
        code: null,
        path: `/ImspTQPwCqd/${BO}/${BADJIA}/twin`,
      },
    ];
    const result = createMatcher(twins).match({ name: "ngelehun chc", parentId: BADJIA });
    expect(result).toMatchObject({ status: "review", reason: "ambiguous" });
    expect((result as NeedsReview).suggestions.map((s) => s.locationId).sort()).toEqual([NGELEHUN_CHC, "twin"].sort());
  });

  it("puts values below the threshold in review with the 5 best suggestions", () => {
    const result = matcher.match({ name: "Kissi", level: 3 }) as NeedsReview;
    expect(result).toMatchObject({ status: "review", reason: "no-match", key: "3|*|kissi" });
    expect(result.suggestions).toHaveLength(5);
    expect(
      result.suggestions
        .slice(0, 3)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["Kissi Kama", "Kissi Teng", "Kissi Tongi"]);
    expect(result.suggestions[0].score).toBeGreaterThanOrEqual(result.suggestions[4].score);
  });

  it("applies decisions on later runs: accept, choose another, reject; stale decisions are reported", () => {
    const first = matcher.match({ name: "Kissi", level: 3 }) as NeedsReview;
    const koya = matcher.match({ name: "Koya", parentName: "Kenema" }) as NeedsReview;
    expect(koya.status).toBe("review");
    const later = createMatcher(locations, {
      decisions: [
        { sourceValue: first.key, locationId: first.suggestions[0].locationId },
        { sourceValue: koya.key, locationId: "EYt6ThQDagn" },
        { sourceValue: matcher.decisionKey({ name: "Nowhere Town", level: 4 }), locationId: null },
        { sourceValue: "4|*|gone", locationId: "deleted-unit" },
      ],
    });
    expect(later.match({ name: "KISSI", level: 3 })).toEqual({
      status: "matched",
      locationId: first.suggestions[0].locationId,
      method: "decision",
      score: 1,
    });
    expect(later.match({ name: "Koya", parentName: "Kenema" })).toMatchObject({ locationId: "EYt6ThQDagn", method: "decision" });
    expect(later.match({ name: "Nowhere Town", level: 4 })).toEqual({ status: "rejected", key: "4|*|nowhere town" });
    expect(later.staleDecisions).toEqual([{ sourceValue: "4|*|gone", locationId: "deleted-unit" }]);
    // The decision is bound to its parent: the same name elsewhere is matched afresh.
    expect(later.match({ name: "Koya", parentName: "Port Loko" })).toMatchObject({
      locationId: "pRHGAROvuyI",
      method: "name-in-parent",
    });
  });
});

describe("createMatcher on DHIS2's metadata CSV", () => {
  const rows = parseSimpleCsv(fixtureText("dhis2-core/metadata/organisationUnits.csv")).map((r) => ({
    id: r.uid,
    code: r.code,
    name: r.name,
    parentRef: r.parent,
  }));
  const matcher = createMatcher(buildHierarchy(rows, []).locations);

  it("matches codes, names and custom type words", () => {
    expect(matcher.match({ code: "L2a" })).toMatchObject({ locationId: "c1234567890", method: "code" });
    expect(matcher.match({ name: "level 2A" })).toMatchObject({ locationId: "c1234567890", method: "normalized" });
    const withLevelWord = createMatcher(buildHierarchy(rows, []).locations, { typeWords: ["Level"] });
    expect(withLevelWord.match({ name: "4" })).toMatchObject({ locationId: "f1234567890", method: "normalized" });
    expect(matcher.match({ name: "4" }).status).toBe("review");
  });
});

describe("normalizer", () => {
  it("removes type words only as whole words and never empties a name", () => {
    const n = createNameNormalizer();
    expect(n.core("Bo District")).toBe("bo");
    expect(n.core("Red Cross Clinic")).toBe("red cross");
    expect(n.core("Government Health Centre")).toBe("government");
    expect(n.core("Districtville")).toBe("districtville");
    expect(n.core("District")).toBe("district");
    expect(n.full("Tonko Maternity Clinic")).toBe("tonko maternity clinic");
  });
});

describe("UnmatchedReport", () => {
  it("counts every row of an unmatched value and keeps its first place", () => {
    const matcher = createMatcher(locations);
    const report = new UnmatchedReport();
    const rows = [
      { name: "Kissi", place: { file: "a.csv", row: 2 } },
      { name: "KISSI", place: { file: "a.csv", row: 9 } },
      { name: "Atlantis", place: { file: "a.csv", row: 4 } },
    ];
    for (const r of rows) {
      const result = matcher.match({ name: r.name, level: 3 });
      if (result.status === "matched") throw new Error("expected no match");
      report.add({ value: r.name, parent: null, level: 3 }, result, r.place);
    }
    expect(report.totalRows).toBe(3);
    expect(report.distinctValues).toBe(2);
    const [kissi, atlantis] = report.entries();
    expect(kissi).toMatchObject({
      key: "3|*|kissi",
      value: "Kissi",
      count: 2,
      firstPlace: { file: "a.csv", row: 2 },
      status: "review",
    });
    expect(kissi.suggestions).toHaveLength(5);
    expect(atlantis).toMatchObject({ value: "Atlantis", count: 1, reason: "no-match" });
    const other = new UnmatchedReport();
    other.merge(report);
    other.merge(report);
    expect(other.toJSON()).toMatchObject({ totalRows: 6, distinctValues: 2 });
    expect(other.entries()[0].count).toBe(4);
  });
});
