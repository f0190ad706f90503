import { describe, expect, it } from "vitest";
import type { CellData } from "../../collab/index.ts";
import { createCellRunner } from "./cell-results.server.ts";

const cell = (id: string, kind: CellData["kind"], name: string, source: string, config: Record<string, unknown> = {}) =>
  ({ id, kind, name, source, config, order: id }) as CellData;

describe("which tiles an offered input can change", () => {
  it("follows a $name through upstream cells and chart sources, and nothing else", async () => {
    const cells = [
      cell("c1", "input", "district", "", { type: "select", options: ["Bo", "Kenema"], default: "Bo" }),
      cell("c2", "sql", "base", "SELECT * FROM (VALUES ('Bo', 1)) t(d, n) WHERE d = $district"),
      cell("c3", "sql", "downstream", "SELECT sum(n) AS n FROM base"),
      cell("c4", "sql", "national", "SELECT 1 AS n -- $district_code and $districts are other names"),
      cell("c5", "chart", "trend", "", { source: "downstream" }),
      cell("c6", "chart", "flat", "", { source: "national" }),
      cell("c7", "markdown", "", "Uses $district in prose"),
      cell("c8", "input", "year", "", { type: "select", options: ["2019"], default: "2019" }),
    ];
    const runner = await createCellRunner({
      cells,
      datasetSlugs: [],
      fileFor: () => Promise.reject(new Error("no datasets in this test")),
    });
    const reading = cells.filter((c) => runner.readsParameters(c, ["district"])).map((c) => c.name);
    expect(reading).toEqual(["district", "base", "downstream", "trend"]);
    expect(runner.readsParameters(cells[1], ["DISTRICT"])).toBe(true);
    expect(cells.filter((c) => runner.readsParameters(c, ["year"])).map((c) => c.name)).toEqual(["year"]);
  });
});
