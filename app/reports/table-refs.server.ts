/**
 * Which tables a cell's SQL reads, from DuckDB's own parser (native `json_serialize_sql`: parse only, no binding, so
 * tables need not exist). Base-table references are collected from the syntax tree; bare names that are CTEs of the
 * statement itself are left out. Used to resolve cell → cell dependencies when publishing (DESIGN.md: dependencies
 * come from DuckDB's parser, never from regular expressions).
 */
import { DuckDBInstance } from "@duckdb/node-api";

export interface TableRef {
  schema: string | null;
  name: string;
}

export type ParsedRefs = { ok: true; tables: TableRef[] } | { ok: false; message: string };

/** Walks the serialized AST: every BASE_TABLE node, and every CTE name (to drop self-defined names). */
export function refsFromAst(ast: unknown): TableRef[] {
  const tables: TableRef[] = [];
  const ctes = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.type === "BASE_TABLE" && typeof record.table_name === "string") {
      const schema = typeof record.schema_name === "string" && record.schema_name !== "" ? record.schema_name : null;
      tables.push({ schema, name: record.table_name });
    }
    const cteMap = record.cte_map as { map?: { key?: unknown }[] } | undefined;
    for (const entry of cteMap?.map ?? []) if (typeof entry.key === "string") ctes.add(entry.key.toLowerCase());
    for (const value of Object.values(record)) visit(value);
  };
  visit(ast);
  const seen = new Set<string>();
  return tables.filter((t) => {
    if (t.schema === null && ctes.has(t.name.toLowerCase())) return false;
    const key = `${t.schema?.toLowerCase() ?? ""}.${t.name.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

let shared: Promise<DuckDBInstance> | undefined;

/** One in-memory parser instance: it never attaches anything, and external access is off. */
function parserInstance(): Promise<DuckDBInstance> {
  shared ??= (async () => {
    const instance = await DuckDBInstance.create(":memory:", {
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    });
    const conn = await instance.connect();
    try {
      await conn.run("SET enable_external_access = false");
      await conn.run("SET lock_configuration = true");
    } finally {
      conn.closeSync();
    }
    return instance;
  })();
  return shared;
}

export async function tableRefsOf(sql: string): Promise<ParsedRefs> {
  const conn = await (await parserInstance()).connect();
  try {
    const statement = await conn.prepare("SELECT json_serialize_sql($1::VARCHAR) AS j");
    statement.bindVarchar(1, sql);
    const [row] = (await statement.runAndReadAll()).getRowObjectsJson() as { j: string }[];
    const parsed = JSON.parse(row.j) as { error: boolean; error_message?: string; statements?: unknown[] };
    if (parsed.error) return { ok: false, message: parsed.error_message ?? "the SQL does not parse" };
    return { ok: true, tables: refsFromAst(parsed.statements) };
  } finally {
    conn.closeSync();
  }
}
