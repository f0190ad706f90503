/**
 * Library cells in the notebook document. A linked cell is a `sql` cell whose `config.link` names a library query
 * version ({ queryId, version }) and whose own `source` stays empty: its SQL is that version's, fetched with the
 * reader's permissions, so the document never holds a copy that could drift from the library (app/library/link.ts).
 * Everything here is pure document or data work, so it is tested without a browser.
 */
import type * as Y from "yjs";
import { addCell, type CellData, cellConfigMap, findCell, getSource, LOCAL_ORIGIN } from "../../../collab/index.ts";
import { checkCellName } from "../../../kernel/graph/index.ts";
import { type InputDefinition, inputDefinitionSchema, providedNames } from "../../../kernel/parameters/index.ts";
import type { SchedulerCell } from "../../../kernel/runtime/index.ts";
import { type CellLink, cellLinkSchema } from "../../library/link.ts";
import type { QueryVersionView } from "../../library/types.ts";

export type { CellLink };

/** The cell's link; "invalid" when `config.link` is there but malformed (shared, untrusted content); null otherwise. */
export function readLink(cell: Pick<CellData, "kind" | "config">): CellLink | "invalid" | null {
  if (cell.kind !== "sql" || cell.config.link === undefined || cell.config.link === null) return null;
  const parsed = cellLinkSchema.safeParse(cell.config.link);
  return parsed.success ? parsed.data : "invalid";
}

function configOf(doc: Y.Doc, id: string, action: string): { cell: Y.Map<unknown>; config: Y.Map<unknown> } {
  const cell = findCell(doc, id);
  if (!cell) throw new Error(`${action}: no cell with id '${id}' in the notebook`);
  return { cell, config: cellConfigMap(cell) };
}

function replaceText(text: Y.Text, value: string): void {
  if (text.length > 0) text.delete(0, text.length);
  if (value) text.insert(0, value);
}

/** Turns an ordinary SQL cell into a linked one (its own SQL is now the library's): one undoable transaction. */
export function linkCell(doc: Y.Doc, id: string, link: CellLink): void {
  doc.transact(() => {
    const { config } = configOf(doc, id, "linkCell");
    config.set("link", { queryId: link.queryId, version: link.version });
    replaceText(getSource(doc, id), "");
  }, LOCAL_ORIGIN);
}

/** Points a linked cell at another version of its query. */
export function setLinkedVersion(doc: Y.Doc, id: string, version: number): void {
  doc.transact(() => {
    const { config } = configOf(doc, id, "setLinkedVersion");
    const link = cellLinkSchema.safeParse(config.get("link"));
    if (!link.success) throw new Error(`setLinkedVersion: cell '${id}' is not linked to a library query`);
    config.set("link", { queryId: link.data.queryId, version });
  }, LOCAL_ORIGIN);
}

/** Turns a linked cell into an ordinary SQL cell holding `sql` (the linked version's SQL). */
export function unlinkCell(doc: Y.Doc, id: string, sql: string): void {
  doc.transact(() => {
    const { config } = configOf(doc, id, "unlinkCell");
    config.delete("link");
    replaceText(getSource(doc, id), sql);
  }, LOCAL_ORIGIN);
}

/** Adds a linked cell at display position `at`; returns its id. */
export function insertLinkedCell(doc: Y.Doc, at: number, name: string, link: CellLink): string {
  let id = "";
  doc.transact(() => {
    id = addCell(doc, at, { kind: "sql", name });
    configOf(doc, id, "insertLinkedCell").config.set("link", { queryId: link.queryId, version: link.version });
  }, LOCAL_ORIGIN);
  return id;
}

/**
 * A free cell name made from a query's name: `Malaria positivity (TPR)` → `malaria_positivity_tpr`, then `_2`, `_3`…
 * while the name is taken (case-insensitively, as DuckDB compares names) or not acceptable.
 */
export function cellNameFor(queryName: string, cells: readonly { id: string; name: string }[]): string {
  let base = queryName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "")
    .slice(0, 56)
    .replace(/_$/, "");
  if (!base) base = "query";
  if (/^[0-9]/.test(base)) base = `q_${base}`;
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}_${n}`;
    if (!checkCellName(name, cells)) return name;
  }
}

/**
 * The notebook inputs a SQL text binds, as the library stores them (their full definitions), given the `$names` that
 * DuckDB's tokenizer found in it. `unknown` lists the `$names` no input provides (the query would not run elsewhere).
 */
export function referencedInputs(
  parameterNames: readonly string[],
  inputs: readonly InputDefinition[],
): { parameters: InputDefinition[]; unknown: string[] } {
  const used = new Set(parameterNames.map((n) => n.toLowerCase()));
  const parameters = inputs.filter((def) => providedNames(def).some((p) => used.has(p.toLowerCase())));
  const provided = new Set(parameters.flatMap((def) => providedNames(def).map((p) => p.toLowerCase())));
  const unknown = parameterNames.filter((n) => !provided.has(n.toLowerCase()));
  return { parameters, unknown };
}

/**
 * The query's parameters this notebook has no input for (by name, case-insensitively), parsed as input definitions:
 * what to add as input cells so an inserted query has values to bind. Definitions that do not parse are left out.
 */
export function missingInputs(
  parameters: readonly unknown[],
  cells: readonly Pick<CellData, "kind" | "name">[],
): InputDefinition[] {
  const names = new Set(cells.map((c) => c.name.toLowerCase()));
  const out: InputDefinition[] = [];
  for (const raw of parameters) {
    const parsed = inputDefinitionSchema.safeParse(raw);
    if (!parsed.success || names.has(parsed.data.name.toLowerCase())) continue;
    names.add(parsed.data.name.toLowerCase());
    out.push(parsed.data);
  }
  return out;
}

/** Adds input cells for `inputs` at display position `at` (in order); returns their ids. */
export function insertInputCells(doc: Y.Doc, at: number, inputs: readonly InputDefinition[]): string[] {
  const ids: string[] = [];
  doc.transact(() => {
    inputs.forEach((def, i) => {
      const id = addCell(doc, at + i, { kind: "input", name: def.name });
      const { config } = configOf(doc, id, "insertInputCells");
      for (const [key, value] of Object.entries(def)) if (key !== "name" && value !== undefined) config.set(key, value);
      ids.push(id);
    });
  }, LOCAL_ORIGIN);
  return ids;
}

/** What the page knows about a linked cell's query version. */
export type LinkState =
  | { status: "invalid" }
  | { status: "loading"; link: CellLink }
  /** 404: the reader may not see the query (private, another group) or it was deleted. */
  | { status: "unavailable"; link: CellLink }
  | { status: "failed"; link: CellLink; message: string }
  | {
      status: "ready";
      link: CellLink;
      query: QueryVersionView;
      latestVersion: number;
      certifiedVersion: number | null;
      archived: boolean;
    };

/** Why a linked cell does not run, already translated, per state. */
export interface UnavailableMessages {
  invalid: string;
  loading: string;
  unavailable: string;
  failed: (message: string) => string;
}

/**
 * The cell as the kernel sees it: a ready linked cell runs its version's SQL (its `$names` bound from the notebook's
 * inputs like any cell's); any other linked cell does not run and says why (its dependants then name it).
 */
export function kernelCell(
  cell: Pick<CellData, "id" | "name" | "kind" | "source">,
  state: LinkState | undefined,
  messages: UnavailableMessages,
): SchedulerCell {
  const base = { id: cell.id, name: cell.name, kind: cell.kind };
  if (!state) return { ...base, source: cell.source };
  switch (state.status) {
    case "ready":
      return { ...base, source: state.query.sql };
    case "invalid":
      return { ...base, source: "", unavailable: messages.invalid };
    case "loading":
      return { ...base, source: "", unavailable: messages.loading };
    case "unavailable":
      return { ...base, source: "", unavailable: messages.unavailable };
    case "failed":
      return { ...base, source: "", unavailable: messages.failed(state.message) };
  }
}
