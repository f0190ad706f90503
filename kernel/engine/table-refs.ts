/**
 * Which tables a SQL text reads. DuckDB's binder (getTableNames) is the authority: it knows CTEs, subqueries, lateral
 * joins, FROM-first syntax… but it returns bare names and stops on two things a notebook does all the time, so the SQL
 * it is given is adjusted with DuckDB's tokens first:
 *  - parameters (`$name`, `?`) cannot be bound while extracting names → replaced by NULL;
 *  - `JOIN … USING (cols)` on a table that does not exist yet fails ("column does not exist on left side") → ON TRUE.
 * The schema of each name (`malaria.observations`) is then read from the tokens around the name.
 */
import { findParameters } from "./parameters.ts";
import { identifierName, isKeyword, isOperator, isWord, type Token, TokenType } from "./sql-tokens.ts";
import type { TableRef } from "./types.ts";

/** The SQL handed to getTableNames. */
export function sqlForNameExtraction(sql: string, tokens: Token[]): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const use of findParameters(tokens)) edits.push({ start: use.start, end: use.end, text: "NULL" });
  let depth = 0;
  const joinDepths: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isOperator(t, "(")) depth++;
    else if (isOperator(t, ")")) depth--;
    else if (isKeyword(t, "join")) joinDepths.push(depth);
    else if (isKeyword(t, "using") && isOperator(tokens[i + 1], "(") && joinDepths.includes(depth)) {
      const close = matchingParen(tokens, i + 1);
      if (close < 0) continue;
      edits.push({ start: t.start, end: tokens[close].end, text: "ON TRUE" });
      i = close;
    }
  }
  edits.sort((a, b) => a.start - b.start);
  let out = "";
  let cursor = 0;
  for (const e of edits) {
    out += sql.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return out + sql.slice(cursor);
}

function matchingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOperator(tokens[i], "(")) depth++;
    else if (isOperator(tokens[i], ")") && --depth === 0) return i;
  }
  return -1;
}

/** Qualifiers for the binder's bare names: each occurrence preceded by `x.` (and not followed by `.`) gives schema x. */
export function qualifyNames(names: string[], tokens: Token[]): TableRef[] {
  const refs: TableRef[] = [];
  const add = (ref: TableRef) => {
    const key = `${ref.schema?.toLowerCase() ?? ""}.${ref.name.toLowerCase()}`;
    if (!refs.some((r) => `${r.schema?.toLowerCase() ?? ""}.${r.name.toLowerCase()}` === key)) refs.push(ref);
  };
  for (const name of names) {
    const lower = name.toLowerCase();
    let qualified = false;
    let bare = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!isWord(t) || identifierName(t).toLowerCase() !== lower) continue;
      if (isOperator(tokens[i + 1], ".")) continue; // `name.column`: a qualifier, not a table reference
      if (isOperator(tokens[i - 1], ".") && isWord(tokens[i - 2])) {
        add({ schema: identifierName(tokens[i - 2]), name: identifierName(t) });
        qualified = true;
      } else bare = true;
    }
    if (bare || !qualified) add({ schema: null, name });
  }
  return refs;
}

/**
 * Used only when DuckDB's binder refuses the SQL even after the adjustments above (NATURAL or ASOF joins on tables that
 * do not exist yet, PIVOT statements): names right after FROM or JOIN, minus CTE names.
 */
export function scanTableRefs(tokens: Token[]): TableRef[] {
  const ctes = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (
      isWord(tokens[i]) &&
      isKeyword(tokens[i + 1], "as") &&
      (isOperator(tokens[i + 2], "(") || isKeyword(tokens[i + 2], "materialized"))
    ) {
      ctes.add(identifierName(tokens[i]).toLowerCase());
    }
  }
  const refs: TableRef[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (
      !(
        isKeyword(tokens[i], "from") ||
        isKeyword(tokens[i], "join") ||
        isKeyword(tokens[i], "pivot") ||
        isKeyword(tokens[i], "unpivot")
      )
    )
      continue;
    const parts: string[] = [];
    let j = i + 1;
    while (isWord(tokens[j]) || tokens[j]?.type === TokenType.IDENTIFIER) {
      parts.push(identifierName(tokens[j]));
      if (!isOperator(tokens[j + 1], ".")) break;
      j += 2;
    }
    if (parts.length === 0 || isOperator(tokens[j + 1], "(")) continue; // table function or nothing
    const name = parts[parts.length - 1];
    const schema = parts.length > 1 ? parts[parts.length - 2] : null;
    if (schema === null && ctes.has(name.toLowerCase())) continue;
    if (!refs.some((r) => r.name === name && r.schema === schema)) refs.push({ schema, name });
  }
  return refs;
}
