/**
 * Turns the tables a cell's SQL reads (from the engine's parser) into dependencies on other cells, and reports every
 * reference that is neither a cell nor an attached dataset, saying which.
 */
import type { TableRef } from "../engine/types.ts";

export interface CellReferences {
  id: string;
  name: string;
  tables: readonly TableRef[];
}

export type ReferenceProblem =
  | { kind: "missing-cell"; name: string; message: string }
  | { kind: "missing-dataset"; name: string; message: string };

/** Schemas DuckDB provides itself: reading them is neither a cell dependency nor an error. */
const SYSTEM_SCHEMAS = new Set(["information_schema", "pg_catalog", "system", "temp"]);
/** Schemas that hold the cells' views. */
const CELL_SCHEMAS = new Set(["main", "memory"]);

export function resolveDependencies(
  cells: readonly CellReferences[],
  datasets: readonly string[],
): { dependsOn: Map<string, string[]>; problems: Map<string, ReferenceProblem[]> } {
  const byName = new Map<string, string>();
  for (const cell of cells) if (!byName.has(cell.name.toLowerCase())) byName.set(cell.name.toLowerCase(), cell.id);
  const slugs = new Set(datasets.map((d) => d.toLowerCase()));
  const dependsOn = new Map<string, string[]>();
  const problems = new Map<string, ReferenceProblem[]>();
  for (const cell of cells) {
    const deps: string[] = [];
    const found: ReferenceProblem[] = [];
    for (const ref of cell.tables) {
      const schema = ref.schema?.toLowerCase() ?? null;
      if (schema !== null && SYSTEM_SCHEMAS.has(schema)) continue;
      if (schema !== null && slugs.has(schema)) continue;
      if (schema === null || CELL_SCHEMAS.has(schema)) {
        const target = byName.get(ref.name.toLowerCase());
        if (target !== undefined) {
          if (!deps.includes(target)) deps.push(target);
          continue;
        }
        if (slugs.has(ref.name.toLowerCase())) {
          found.push({
            kind: "missing-cell",
            name: ref.name,
            message: `\`${ref.name}\` is a dataset: read its tables as \`${ref.name}.observations\`, \`${ref.name}.locations\` or \`${ref.name}.fields\``,
          });
        } else {
          found.push({
            kind: "missing-cell",
            name: ref.name,
            message: `\`${ref.name}\` is not a cell of this notebook (nor an attached dataset)`,
          });
        }
        continue;
      }
      const available = datasets.length > 0 ? `attached: ${datasets.join(", ")}` : "no dataset is attached";
      found.push({
        kind: "missing-dataset",
        name: ref.schema as string,
        message: `Dataset \`${ref.schema}\` (in \`${ref.schema}.${ref.name}\`) is not available to this notebook (${available})`,
      });
    }
    dependsOn.set(cell.id, deps);
    if (found.length > 0) problems.set(cell.id, found);
  }
  return { dependsOn, problems };
}
