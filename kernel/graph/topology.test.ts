import { describe, expect, it } from "vitest";
import { ancestors, type CellGraph, descendants, inRunOrder, topologicalOrder } from "./topology.ts";

const graph = (nodes: string[], deps: Record<string, string[]>): CellGraph => ({
  nodes,
  dependsOn: new Map(Object.entries(deps)),
});

describe("topologicalOrder", () => {
  it("puts every cell after the cells it reads", () => {
    const g = graph(["report", "totals", "raw"], { report: ["totals"], totals: ["raw"], raw: [] });
    expect(topologicalOrder(g)).toEqual({ order: ["raw", "totals", "report"], blocked: [] });
  });

  it("keeps notebook order between independent cells", () => {
    const g = graph(["a", "b", "c", "d"], { a: [], b: [], c: ["a"], d: [] });
    expect(topologicalOrder(g).order).toEqual(["a", "b", "c", "d"]);
  });

  it("handles diamonds", () => {
    const g = graph(["top", "left", "right", "bottom"], { bottom: ["left", "right"], left: ["top"], right: ["top"] });
    expect(topologicalOrder(g).order).toEqual(["top", "left", "right", "bottom"]);
  });

  it("blocks cells on a cycle and cells downstream of it", () => {
    const g = graph(["a", "b", "c", "d"], { a: ["b"], b: ["a"], c: ["b"], d: [] });
    expect(topologicalOrder(g)).toEqual({ order: ["d"], blocked: ["a", "b", "c"] });
  });

  it("ignores dependencies on unknown cells", () => {
    expect(topologicalOrder(graph(["a"], { a: ["gone"] })).order).toEqual(["a"]);
  });
});

describe("descendants and ancestors", () => {
  const g = graph(["a", "b", "c", "d", "e"], { b: ["a"], c: ["b"], d: ["a"], e: [] });
  it("follows edges transitively", () => {
    expect([...descendants(g, "a")].sort()).toEqual(["b", "c", "d"]);
    expect([...ancestors(g, "c")].sort()).toEqual(["a", "b"]);
    expect(descendants(g, "e").size).toBe(0);
  });
  it("terminates on cycles and excludes the start", () => {
    const cyclic = graph(["a", "b"], { a: ["b"], b: ["a"] });
    expect([...descendants(cyclic, "a")]).toEqual(["b"]);
  });
  it("sorts a subset in run order", () => {
    expect(inRunOrder(g, ["c", "a", "d"])).toEqual(["a", "c", "d"]);
  });
});
