/**
 * Everything the runtime needs to know about a notebook's cells before running any: dependencies, run order, and the
 * problems shown on the cells involved (duplicate or invalid names, cycles, missing references, SQL that does not parse).
 */
import type { TableRef } from "../engine/types.ts";
import { findCycles } from "./cycles.ts";
import { checkCellName, findDuplicateNames } from "./definitions.ts";
import { resolveDependencies } from "./dependencies.ts";
import { type CellGraph, topologicalOrder } from "./topology.ts";

export interface AnalyzedCell {
  id: string;
  name: string;
  /** Tables read, or the reason they could not be read (a syntax error). */
  tables: readonly TableRef[] | { error: { message: string; position?: number } };
}

export type CellProblem = {
  kind: "invalid-name" | "duplicate-name" | "cycle" | "missing-cell" | "missing-dataset" | "sql" | "upstream";
  message: string;
  position?: number;
};

export interface NotebookGraph extends CellGraph {
  order: string[];
  cycles: string[][];
  problems: Map<string, CellProblem[]>;
}

export function buildNotebookGraph(cells: readonly AnalyzedCell[], datasets: readonly string[]): NotebookGraph {
  const problems = new Map<string, CellProblem[]>();
  const add = (id: string, problem: CellProblem) => problems.set(id, [...(problems.get(id) ?? []), problem]);
  const nameOf = new Map(cells.map((c) => [c.id, c.name]));

  for (const cell of cells) {
    const problem = checkCellName(cell.name);
    if (problem) add(cell.id, { kind: "invalid-name", message: problem.message });
    if (!Array.isArray(cell.tables)) {
      const { message, position } = (cell.tables as { error: { message: string; position?: number } }).error;
      add(cell.id, position === undefined ? { kind: "sql", message } : { kind: "sql", message, position });
    }
  }
  for (const [, ids] of findDuplicateNames(cells)) {
    for (const id of ids)
      add(id, { kind: "duplicate-name", message: `${ids.length} cells are named \`${nameOf.get(id)}\`: names must be unique` });
  }
  const { dependsOn, problems: refs } = resolveDependencies(
    cells.map((c) => ({ id: c.id, name: c.name, tables: Array.isArray(c.tables) ? (c.tables as TableRef[]) : [] })),
    datasets,
  );
  for (const [id, list] of refs) for (const p of list) add(id, { kind: p.kind, message: p.message });

  const graph: CellGraph = { nodes: cells.map((c) => c.id), dependsOn };
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    const path = [...cycle, cycle[0]].map((id) => nameOf.get(id)).join(" → ");
    for (const id of cycle)
      add(id, {
        kind: "cycle",
        message:
          cycle.length === 1 ? `\`${nameOf.get(id)}\` reads its own result` : `Cells depend on each other in a cycle: ${path}`,
      });
  }
  const { order } = topologicalOrder(graph);
  return { ...graph, order, cycles, problems };
}
