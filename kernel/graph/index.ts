/** Public face of kernel/graph: cell names, dependencies, order and cycles. */
export { findCycles } from "./cycles.ts";
export {
  checkCellName,
  findDuplicateNames,
  isValidCellName,
  type NamedCell,
  type NameProblem,
  nextDefaultName,
} from "./definitions.ts";
export { type CellReferences, type ReferenceProblem, resolveDependencies } from "./dependencies.ts";
export { type AnalyzedCell, buildNotebookGraph, type CellProblem, type NotebookGraph } from "./notebook-graph.ts";
export { ancestors, type CellGraph, dependentsOf, descendants, inRunOrder, topologicalOrder } from "./topology.ts";
