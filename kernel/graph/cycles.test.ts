import { describe, expect, it } from "vitest";
import { findCycles } from "./cycles.ts";
import type { CellGraph } from "./topology.ts";

const graph = (nodes: string[], deps: Record<string, string[]>): CellGraph => ({
  nodes,
  dependsOn: new Map(Object.entries(deps)),
});

describe("findCycles", () => {
  it("finds none in a DAG", () => {
    expect(findCycles(graph(["a", "b", "c"], { b: ["a"], c: ["a", "b"] }))).toEqual([]);
  });

  it("lists the cells of each cycle in notebook order", () => {
    const g = graph(["a", "b", "c", "d", "e", "f"], { a: ["c"], b: ["a"], c: ["b"], d: ["a"], e: ["f"], f: ["e"] });
    expect(findCycles(g)).toEqual([
      ["a", "b", "c"],
      ["e", "f"],
    ]);
  });

  it("reports a cell that reads itself", () => {
    expect(findCycles(graph(["a", "b"], { a: ["a"], b: ["a"] }))).toEqual([["a"]]);
  });

  it("does not include cells merely downstream of a cycle", () => {
    expect(findCycles(graph(["a", "b", "c"], { a: ["b"], b: ["a"], c: ["b"] }))).toEqual([["a", "b"]]);
  });

  it("copes with a long chain without recursion limits", () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const deps = Object.fromEntries(nodes.map((n, i) => [n, i === 0 ? [nodes[nodes.length - 1]] : [nodes[i - 1]]]));
    expect(findCycles(graph(nodes, deps))[0]).toHaveLength(5000);
  });
});
