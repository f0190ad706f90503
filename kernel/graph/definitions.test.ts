import { describe, expect, it } from "vitest";
import { checkCellName, findDuplicateNames, isValidCellName, nextDefaultName } from "./definitions.ts";

describe("cell names", () => {
  it("accepts identifiers", () => {
    for (const name of ["cell1", "Cases_by_district", "_tmp", "x"]) expect(isValidCellName(name)).toBe(true);
  });

  it.each([
    ["", "empty"],
    ["1cell", "starts-with-digit"],
    ["cases by district", "invalid-character"],
    ["cases-2024", "invalid-character"],
    ['a"b', "invalid-character"],
    ["select", "reserved"],
    ["FROM", "reserved"],
    ["x".repeat(64), "too-long"],
  ])("refuses %j (%s) and says why", (name, kind) => {
    const problem = checkCellName(name);
    expect(problem?.kind).toBe(kind);
    expect(problem?.message.length).toBeGreaterThan(10);
  });

  it("refuses a name another cell uses, case-insensitively, but not the cell's own", () => {
    const cells = [
      { id: "a", name: "Cases" },
      { id: "b", name: "other" },
    ];
    expect(checkCellName("cases", cells, "b")?.kind).toBe("duplicate");
    expect(checkCellName("cases", cells, "a")).toBeNull();
  });

  it("gives cell1, cell2… and never reuses a deleted number", () => {
    expect(nextDefaultName([])).toBe("cell1");
    expect(nextDefaultName(["cell1", "cell2"])).toBe("cell3");
    expect(nextDefaultName(["cell1", "cell7", "totals"])).toBe("cell8");
    expect(nextDefaultName(["Cell3", "cellar", "cell"])).toBe("cell4");
  });

  it("finds duplicates with the cells involved", () => {
    const dups = findDuplicateNames([
      { id: "a", name: "x" },
      { id: "b", name: "y" },
      { id: "c", name: "X" },
    ]);
    expect([...dups]).toEqual([["x", ["a", "c"]]]);
  });
});
