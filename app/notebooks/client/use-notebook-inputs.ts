/**
 * The notebook's input cells wired to the kernel: definitions parsed from the cells' shared config, values (URL ↔
 * page), select options read from SQL cells, and the bound parameters handed to the scheduler whenever they change
 * (which re-runs the cells using a changed `$name`).
 */
import { useEffect, useMemo } from "react";
import type { CellData } from "../../../collab/index.ts";
import type { InputDefinition, LocationNode, ValidationContext } from "../../../kernel/parameters/index.ts";
import { definitionOf, type ParsedInput } from "./input-config.ts";
import { useColumnOptions } from "./use-cell-exports.ts";
import type { Kernel } from "./use-kernel.ts";
import { useParameters } from "./use-parameters.ts";

export function useNotebookInputs(
  cells: readonly CellData[],
  kernel: Kernel,
  locations: readonly LocationNode[],
  loaded: boolean,
) {
  const inputCells = cells.filter((c) => c.kind === "input");
  const parsedKey = JSON.stringify(inputCells.map((c) => [c.id, c.name, c.config]));
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when the input cells' content changes, not on every keystroke elsewhere
  const parsed = useMemo(() => {
    const byId: Record<string, ParsedInput> = {};
    const definitions: InputDefinition[] = [];
    const seen = new Set<string>();
    for (const cell of inputCells) {
      const result = definitionOf(cell);
      // Two inputs with one name (case-insensitive, as DuckDB matches `$name`): the later one is not used.
      if (result.ok && seen.has(result.def.name.toLowerCase())) {
        byId[cell.id] = { ok: false, message: `\`${cell.name}\`: another input has this name` };
        continue;
      }
      byId[cell.id] = result;
      if (result.ok) {
        seen.add(result.def.name.toLowerCase());
        definitions.push(result.def);
      }
    }
    return { byId, definitions };
  }, [parsedKey]);

  const columnOptions = useColumnOptions(parsed.definitions, cells, kernel.runs, kernel);
  const optionsKey = JSON.stringify(columnOptions);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by content so the parameters hook sees a stable context
  const context = useMemo<ValidationContext>(() => ({ locations, options: columnOptions }), [locations, optionsKey]);
  const params = useParameters(parsed.definitions, context, loaded);

  const bindingsKey = JSON.stringify(params.bindings);
  const { setParameters } = kernel;
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the bound values' content
  useEffect(() => {
    setParameters(params.bindings);
  }, [bindingsKey, setParameters]);

  return { parsedById: parsed.byId, definitions: parsed.definitions, columnOptions, params };
}
