/**
 * A published SQL cell must run alone on the server, but notebook cells read earlier cells by name (in the browser each
 * cell is a view). Here the upstream cells' SQL is inlined as CTEs, in dependency order, ahead of the target:
 *
 *   WITH "cases" AS (<cases' SQL>), "by_district" AS (<by_district's SQL>)
 *   SELECT * FROM (<target's SQL>)
 *
 * The target is wrapped as a subquery so that its own WITH clause (or a FROM-first query) stays valid. Each SQL text
 * sits on its own lines with a trailing ';' dropped, so a trailing line comment cannot swallow a parenthesis.
 * Dependencies come from the kernel's resolver over DuckDB-parsed table references (table-refs.server.ts). Known
 * limit: a reference written `main.cell_name` (explicit schema) is resolved as a dependency but the CTE is bare-named.
 */
import { resolveDependencies, topologicalOrder } from "../../kernel/graph/index.ts";
import type { TableRef } from "./table-refs.server.ts";

export interface SqlCell {
  id: string;
  name: string;
  sql: string;
  tables: readonly TableRef[];
}

export type InlinePlan = { ok: true; sql: string; upstream: string[]; datasets: string[] } | { ok: false; message: string };

const quoteIdent = (text: string) => `"${text.replaceAll('"', '""')}"`;
const body = (sql: string) => sql.trim().replace(/;\s*$/, "");

export function inlineUpstream(cells: readonly SqlCell[], targetId: string, datasetSlugs: readonly string[]): InlinePlan {
  const target = cells.find((c) => c.id === targetId);
  if (!target) return { ok: false, message: `no SQL cell with id '${targetId}' in the notebook` };
  const { dependsOn, problems } = resolveDependencies(cells, datasetSlugs);
  const needed = new Set<string>();
  const stack = [targetId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (needed.has(id)) continue;
    needed.add(id);
    stack.push(...(dependsOn.get(id) ?? []));
  }
  for (const id of needed) {
    const first = problems.get(id)?.[0];
    if (first) return { ok: false, message: `cell \`${cells.find((c) => c.id === id)?.name}\`: ${first.message}` };
  }
  const nodes = cells.filter((c) => needed.has(c.id)).map((c) => c.id);
  const { order, blocked } = topologicalOrder({ nodes, dependsOn });
  if (blocked.length > 0) {
    const names = blocked.map((id) => `\`${cells.find((c) => c.id === id)?.name}\``).join(", ");
    return { ok: false, message: `cells ${names} read each other in a cycle` };
  }
  const byId = new Map(cells.map((c) => [c.id, c]));
  const upstream = order.filter((id) => id !== targetId).map((id) => byId.get(id) as SqlCell);
  const slugs = new Map(datasetSlugs.map((s) => [s.toLowerCase(), s]));
  const datasets = new Set<string>();
  for (const id of needed) {
    for (const ref of byId.get(id)?.tables ?? []) {
      const slug = ref.schema ? slugs.get(ref.schema.toLowerCase()) : undefined;
      if (slug) datasets.add(slug);
    }
  }
  const sql =
    upstream.length === 0
      ? body(target.sql)
      : `WITH ${upstream.map((c) => `${quoteIdent(c.name)} AS (\n${body(c.sql)}\n)`).join(",\n")}\nSELECT * FROM (\n${body(target.sql)}\n)`;
  return { ok: true, sql, upstream: upstream.map((c) => c.name), datasets: [...datasets].sort() };
}
