/**
 * Works around a kernel/engine limitation (reported; remove once the engine fixes it): DuckDB's getTableNames BINDS
 * views, so once `cell1` exists as a view, analysing `SELECT … FROM cell1` returns the tables inside cell1
 * (`observations`, bare) and not `cell1` itself. The graph then reports "`observations` is not a cell" and loses the
 * dependency on cell1, which breaks every chain built after its first cell ran.
 *
 * So, on top of the engine's analysis: names the cell's own text never mentions are dropped (they come from inside a
 * view), and the cell views this engine defined that the text does name (not as `x.` qualifier or `.x` member) are
 * added. The candidates are only the scheduler's own view names; everything else still comes from DuckDB's binder.
 */
import type { Engine, SqlAnalysis, TableRef } from "../../../kernel/index.ts";

const WORD = "[\\p{L}\\p{N}_$]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function identifierPattern(name: string, flags = "iu"): RegExp {
  const quoted = `"${escapeRegExp(name.replaceAll('"', '""'))}"`;
  return new RegExp(`(^|[^\\p{L}\\p{N}_$".])(?:${escapeRegExp(name)}(?!${WORD})|${quoted})(?!\\s*\\.)`, flags);
}

/** Whether `sql` names `name` as a whole identifier, bare or double-quoted, case-insensitively (not as `x.` or `.x`). */
export function namesIdentifier(sql: string, name: string): boolean {
  return identifierPattern(name).test(sql);
}

/** Whether `sql` mentions `name` at all as a word (also qualified: `malaria.observations` mentions `observations`). */
function mentions(sql: string, name: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}_$])"?${escapeRegExp(name)}"?(?!${WORD})`, "iu").test(sql);
}

/** Strips comments and string literals so names inside them count for nothing. */
function codeOnly(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, " ")
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/'(?:[^']|'')*'/g, "''");
}

export function ownReferences(sql: string, tables: readonly TableRef[], views: Iterable<string>): TableRef[] {
  const code = codeOnly(sql);
  const refs = tables.filter((t) => mentions(code, t.name));
  for (const view of views) {
    const known = refs.some((r) => r.schema === null && r.name.toLowerCase() === view.toLowerCase());
    if (!known && namesIdentifier(code, view)) refs.push({ schema: null, name: view });
  }
  return refs;
}

export function viewSafeEngine(engine: Engine): Engine {
  const views = new Map<string, string>(); // lower-case → as defined
  const own = (sql: string, tables: TableRef[]) => ownReferences(sql, tables, views.values());
  return {
    query: (sql, params, options) => engine.query(sql, params, options),
    stream: (sql, params, options) => engine.stream(sql, params, options),
    async defineView(name, sql, params, options) {
      const result = await engine.defineView(name, sql, params, options);
      views.set(name.toLowerCase(), name);
      return result;
    },
    async dropView(name) {
      views.delete(name.toLowerCase());
      await engine.dropView(name);
    },
    attach: (slug, url) => engine.attach(slug, url),
    datasets: () => engine.datasets(),
    async parseTables(sql) {
      return own(sql, await engine.parseTables(sql));
    },
    async analyze(sql): Promise<SqlAnalysis> {
      const analysis = await engine.analyze(sql);
      return { ...analysis, tables: own(sql, analysis.tables) };
    },
    cancel: () => engine.cancel(),
    restart: () => engine.restart(),
    close: () => engine.close(),
  };
}
