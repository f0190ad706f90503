/**
 * The editor-independent parts of the SQL editor: the DuckDB dialect, autocomplete schema, and the error underline as
 * CodeMirror state (no view, so it is testable in Node and safe to import during server rendering).
 */
import type { Completion } from "@codemirror/autocomplete";
import { PostgreSQL, SQLDialect, type SQLNamespace } from "@codemirror/lang-sql";
import { type EditorState, type Extension, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView } from "@codemirror/view";

/** DuckDB speaks a PostgreSQL-flavoured SQL; these are its own words on top (highlighting and keyword completion). */
const DUCKDB_KEYWORDS =
  "qualify pivot unpivot pivot_longer pivot_wider summarize install load detach positional asof anti semi sample tablesample " +
  "macro struct list union_by_name columns lambda ilike glob similar export import pragma";
const DUCKDB_TYPES =
  "hugeint uhugeint ubigint uinteger usmallint utinyint tinyint int1 int16 int32 int64 int128 float32 float64 " +
  "timestamp_s timestamp_ms timestamp_ns blob varint list struct map union enum";

export const DuckDBDialect = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: `${PostgreSQL.spec.keywords ?? ""} ${DUCKDB_KEYWORDS}`,
  types: `${PostgreSQL.spec.types ?? ""} ${DUCKDB_TYPES}`,
});

/** Tables and views the editor can complete: `schema.table` for attached datasets, a bare name for a notebook cell. */
export type EditorSchema = Record<string, readonly string[]>;

/** Identifiers DuckDB accepts unquoted; anything else is inserted in double quotes. */
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export function quoteIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function columnCompletion(name: string): Completion {
  const quoted = quoteIdentifier(name);
  return quoted === name ? { label: name, type: "property" } : { label: name, apply: quoted, type: "property" };
}

/**
 * The lang-sql namespace for `schema`: dotted keys nest (`malaria.observations` completes `malaria.` then `observations`),
 * bare keys are notebook cells, labelled as such. If a cell and an attached dataset share a name, the dataset wins in
 * completion (DuckDB resolves `name.x` to the catalog first).
 */
export function schemaToNamespace(schema: EditorSchema, cellDetail = "cell"): SQLNamespace {
  const root: Record<string, SQLNamespace> = {};
  const datasets: Record<string, Record<string, SQLNamespace>> = {};
  for (const [key, columns] of Object.entries(schema)) {
    const dot = key.indexOf(".");
    if (dot > 0 && dot < key.length - 1) {
      const ds = key.slice(0, dot);
      const table = key.slice(dot + 1);
      datasets[ds] ??= {};
      datasets[ds][table] = {
        self: { label: table, apply: quoteIdentifier(table), type: "type" },
        children: columns.map(columnCompletion),
      };
    }
  }
  for (const [key, columns] of Object.entries(schema)) {
    if (key.includes(".") || key in datasets) continue;
    root[key] = {
      self: { label: key, apply: quoteIdentifier(key), type: "class", detail: cellDetail },
      children: columns.map(columnCompletion),
    };
  }
  for (const [ds, tables] of Object.entries(datasets)) {
    root[ds] = { self: { label: ds, apply: quoteIdentifier(ds), type: "namespace" }, children: tables };
  }
  return root;
}

export interface SqlError {
  message: string;
  /** 0-based character offset into the cell's source, as DuckDB reports it; absent when DuckDB gives no position. */
  position?: number;
}

/**
 * The span to underline for an error at `position`: the token starting there (an identifier, a quoted name, a number), or
 * one character when the position is on punctuation or space. A position past the end marks the last character, since
 * DuckDB points just past the text for "unexpected end of input".
 */
export function errorRange(text: string, position: number | undefined): { from: number; to: number } | null {
  if (position === undefined || !Number.isFinite(position) || text.length === 0) return null;
  const at = Math.max(0, Math.min(Math.trunc(position), text.length - 1));
  const rest = text.slice(at);
  const token = /^(?:"(?:[^"]|"")*"?|'(?:[^']|'')*'?|[\p{L}\p{N}_$.]+)/u.exec(rest);
  const length = token && token[0].length > 0 ? token[0].length : 1;
  return { from: at, to: Math.min(text.length, at + length) };
}

/** Sets (or clears, with `null`) the error shown in the editor. */
export const setSqlError = StateEffect.define<SqlError | null>();

interface ErrorState {
  error: SqlError | null;
  decorations: DecorationSet;
}

function decorate(state: EditorState, error: SqlError | null): DecorationSet {
  const range = error ? errorRange(state.doc.toString(), error.position) : null;
  const builder = new RangeSetBuilder<Decoration>();
  if (error && range) {
    builder.add(
      range.from,
      range.to,
      Decoration.mark({ class: "nb-sql-error", attributes: { title: error.message, "aria-invalid": "true" } }),
    );
  }
  return builder.finish();
}

/** Holds the current error and its underline; the underline follows edits until the parent sets a new error. */
export const sqlErrorField = StateField.define<ErrorState>({
  create: () => ({ error: null, decorations: Decoration.none }),
  update(value, tr) {
    let next = value;
    if (tr.docChanged) next = { ...next, decorations: next.decorations.map(tr.changes) };
    for (const e of tr.effects) if (e.is(setSqlError)) next = { error: e.value, decorations: decorate(tr.state, e.value) };
    return next;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.decorations),
});

export function sqlErrorExtension(): Extension {
  return sqlErrorField;
}

/** The underlined ranges in a state, for tests and for scrolling the error into view. */
export function errorRanges(state: EditorState): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  const cursor = state.field(sqlErrorField).decorations.iter();
  for (; cursor.value; cursor.next()) out.push({ from: cursor.from, to: cursor.to });
  return out;
}

/** Two errors are the same if message and position match: avoids re-dispatching on every parent render. */
export function sameError(a: SqlError | null | undefined, b: SqlError | null | undefined): boolean {
  return (a ?? null) === (b ?? null) || (!!a && !!b && a.message === b.message && a.position === b.position);
}
