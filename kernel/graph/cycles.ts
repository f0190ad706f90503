/** Cycles between cells (Tarjan's strongly connected components): each cycle lists its cells, in notebook order. */
import type { CellGraph } from "./topology.ts";

export function findCycles(graph: CellGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const known = new Set(graph.nodes);

  // Iterative to stay safe on long chains of cells.
  for (const root of graph.nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const deps = (graph.dependsOn.get(frame.node) ?? []).filter((d) => known.has(d));
      if (frame.next < deps.length) {
        const dep = deps[frame.next++];
        if (!index.has(dep)) {
          index.set(dep, counter);
          low.set(dep, counter++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ node: dep, next: 0 });
        } else if (onStack.has(dep)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(dep) as number));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent) as number, low.get(frame.node) as number));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && (graph.dependsOn.get(member) ?? []).includes(member);
        if (component.length > 1 || selfLoop) cycles.push(component);
      }
    }
  }
  const position = new Map(graph.nodes.map((n, i) => [n, i]));
  for (const c of cycles) c.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  return cycles.sort((a, b) => (position.get(a[0]) ?? 0) - (position.get(b[0]) ?? 0));
}
