/**
 * An input cell's definition lives in the cell's Yjs `config` map (type, options, default, period types, levels,
 * multiple) and its name is the cell's name. Both are shared, untrusted content: they are parsed with the kernel's zod
 * schema before anything uses them.
 */
import type * as Y from "yjs";
import { type CellData, cellConfigMap, findCell, LOCAL_ORIGIN } from "../../../collab/index.ts";
import { type InputDefinition, type InputType, inputDefinitionSchema } from "../../../kernel/parameters/index.ts";

export const INPUT_TYPES: readonly InputType[] = ["select", "multi-select", "text", "number", "date-range", "period", "location"];

export type ParsedInput = { ok: true; def: InputDefinition } | { ok: false; message: string };

/** The cell's definition, or why it is not usable (shown on the cell). New input cells are text inputs. */
export function definitionOf(cell: Pick<CellData, "name" | "config">): ParsedInput {
  const raw = { type: "text", ...cell.config, name: cell.name };
  const parsed = inputDefinitionSchema.safeParse(raw);
  if (parsed.success) return { ok: true, def: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue.path.join(".");
  return { ok: false, message: `\`${cell.name}\`: ${where ? `${where}: ` : ""}${issue.message}` };
}

/** Writes config keys in one transaction (undefined deletes a key); a cell without a config map gets one. */
export function updateInputConfig(doc: Y.Doc, id: string, patch: Record<string, unknown>): void {
  doc.transact(() => {
    const cell = findCell(doc, id);
    if (!cell) return;
    const map = cellConfigMap(cell);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) map.delete(key);
      else map.set(key, value);
    }
  }, LOCAL_ORIGIN);
}

/** Changing the type drops the settings of the old one (a text default is no period choice). */
export function configForType(type: InputType): Record<string, unknown> {
  return {
    type,
    default: undefined,
    options: undefined,
    optionsFrom: undefined,
    periodTypes: type === "period" ? ["Monthly"] : undefined,
    multiple: type === "location" ? false : undefined,
    levels: undefined,
    min: undefined,
    max: undefined,
    integer: undefined,
    maxLength: undefined,
  };
}
