/** Order and reachability over cell dependencies. Nodes are cell ids; `dependsOn` maps a cell to the cells it reads. */

export interface CellGraph {
  /** Cell ids in notebook order (ties in the topological order follow it). */
  nodes: readonly string[];
  dependsOn: ReadonlyMap<string, readonly string[]>;
}

export function dependentsOf(graph: CellGraph): Map<string, string[]> {
  const out = new Map<string, string[]>(graph.nodes.map((n) => [n, []]));
  for (const node of graph.nodes) for (const dep of graph.dependsOn.get(node) ?? []) out.get(dep)?.push(node);
  return out;
}

/**
 * Kahn's algorithm, always taking the earliest ready cell in notebook order, so independent cells run top to bottom.
 * Cells on a cycle (and cells downstream of one) cannot be ordered: they are returned in `blocked`.
 */
export function topologicalOrder(graph: CellGraph): { order: string[]; blocked: string[] } {
  const position = new Map(graph.nodes.map((n, i) => [n, i]));
  const remaining = new Map<string, number>();
  for (const node of graph.nodes) remaining.set(node, (graph.dependsOn.get(node) ?? []).filter((d) => position.has(d)).length);
  const dependents = dependentsOf(graph);
  const ready = graph.nodes.filter((n) => remaining.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    const next = ready.shift() as string;
    order.push(next);
    for (const dependent of dependents.get(next) ?? []) {
      const left = (remaining.get(dependent) ?? 0) - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  const placed = new Set(order);
  return { order, blocked: graph.nodes.filter((n) => !placed.has(n)) };
}

function reach(start: string, edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(edges.get(start) ?? [])];
  while (stack.length > 0) {
    const node = stack.pop() as string;
    if (seen.has(node) || node === start) continue;
    seen.add(node);
    stack.push(...(edges.get(node) ?? []));
  }
  return seen;
}

/** Every cell that reads `id`'s result, directly or not. */
export function descendants(graph: CellGraph, id: string): Set<string> {
  return reach(id, dependentsOf(graph));
}

/** Every cell whose result `id` reads, directly or not. */
export function ancestors(graph: CellGraph, id: string): Set<string> {
  return reach(id, graph.dependsOn);
}

/** `ids` sorted in run order (ids that cannot be ordered are left out). */
export function inRunOrder(graph: CellGraph, ids: Iterable<string>): string[] {
  const wanted = new Set(ids);
  return topologicalOrder(graph).order.filter((n) => wanted.has(n));
}
