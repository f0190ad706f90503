import { describe, expect, it } from "vitest";
import { chunkKey, planChunks } from "./chunks.ts";
import { dhis2ConfigSchema } from "./config-schema.ts";
import { expandPeriods, expandRelativePeriod, isFixedPeriod } from "./periods.ts";

const on = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("relative periods", () => {
  it("follows DHIS2: LAST_n excludes the current period, THIS_ is the current one", () => {
    expect(expandRelativePeriod("LAST_12_MONTHS", on("2020-02-15"))).toEqual([
      "201902",
      "201903",
      "201904",
      "201905",
      "201906",
      "201907",
      "201908",
      "201909",
      "201910",
      "201911",
      "201912",
      "202001",
    ]);
    expect(expandRelativePeriod("LAST_4_QUARTERS", on("2020-02-15"))).toEqual(["2019Q1", "2019Q2", "2019Q3", "2019Q4"]);
    expect(expandRelativePeriod("THIS_YEAR", on("2020-02-15"))).toEqual(["2020"]);
    expect(expandRelativePeriod("LAST_5_YEARS", on("2020-02-15"))).toEqual(["2015", "2016", "2017", "2018", "2019"]);
    expect(expandRelativePeriod("LAST_MONTH", on("2020-01-10"))).toEqual(["201912"]);
    expect(expandRelativePeriod("LAST_6_BIMONTHS", on("2020-03-01"))).toEqual([
      "201902B",
      "201903B",
      "201904B",
      "201905B",
      "201906B",
      "202001B",
    ]);
    expect(expandRelativePeriod("THIS_SIX_MONTH", on("2020-07-01"))).toEqual(["2020S2"]);
    expect(expandRelativePeriod("QUARTERS_LAST_YEAR", on("2020-07-01"))).toEqual(["2019Q1", "2019Q2", "2019Q3", "2019Q4"]);
  });

  it("uses ISO weeks (2014W1 starts 2013-12-30; 2020 has 53 weeks)", () => {
    expect(expandRelativePeriod("THIS_WEEK", on("2013-12-31"))).toEqual(["2014W1"]);
    expect(expandRelativePeriod("LAST_WEEK", on("2021-01-06"))).toEqual(["2020W53"]);
    expect(expandRelativePeriod("LAST_4_WEEKS", on("2024-01-10"))).toEqual(["2023W50", "2023W51", "2023W52", "2024W1"]);
    expect(expandRelativePeriod("WEEKS_THIS_YEAR", on("2020-06-01"))).toHaveLength(53);
  });

  it("keeps fixed ids, de-duplicates, and names unknown ones", () => {
    expect(expandPeriods(["2019Q4", "LAST_4_QUARTERS", "202401"], on("2020-02-15"))).toEqual([
      "2019Q4",
      "2019Q1",
      "2019Q2",
      "2019Q3",
      "202401",
    ]);
    expect(() => expandPeriods(["LAST_13_FORTNIGHTS", "201913"], on("2020-01-01"))).toThrow(
      /'LAST_13_FORTNIGHTS', '201913' not recognised/,
    );
    expect(["2024W5", "202401B", "2025NovQ1", "2024AprilS2", "20240131", "2024Nov"].every(isFixedPeriod)).toBe(true);
    expect(["201407B", "2011Q10", "2024-01"].some(isFixedPeriod)).toBe(false);
  });
});

describe("chunks and config", () => {
  it("plans every combination and keys chunks by content, not order", () => {
    const chunks = planChunks(
      "analytics",
      { dx: ["a", "b", "c"], pe: ["1", "2", "3"], ou: ["x", "y"] },
      { dataItemsPerChunk: 2, periodsPerChunk: 2, orgUnitsPerChunk: 1 },
    );
    expect(chunks).toHaveLength(2 * 2 * 2);
    expect(new Set(chunks.map((c) => c.key)).size).toBe(8);
    expect(chunkKey("analytics", ["b", "a"], ["1"], ["x"])).toBe(chunkKey("analytics", ["a", "b"], ["1"], ["x"]));
    expect(chunkKey("analytics", ["a"], ["1"], ["x"])).not.toBe(chunkKey("dataValueSets", ["a"], ["1"], ["x"]));
  });

  it("normalises the base URL and applies defaults", () => {
    const c = dhis2ConfigSchema.parse({
      baseUrl: "https://play.dhis2.org/40.2.2/api/",
      auth: { type: "token", token: "d2pat_x" },
      selection: { dataElements: ["fbfJHSPpUQD"], periods: ["LAST_12_MONTHS"], orgUnits: { roots: ["ImspTQPwCqd"] } },
    });
    expect(c.baseUrl).toBe("https://play.dhis2.org/40.2.2");
    expect(c.mode).toBe("analytics");
    expect(c.chunking).toEqual({ periodsPerChunk: 12, orgUnitsPerChunk: 50, dataItemsPerChunk: 50 });
    expect(c.retry.retries).toBe(4);
  });
});
