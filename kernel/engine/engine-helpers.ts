/** Small pieces of the engine core: statement checks, error mapping, crash detection. */
import type { ConnectionAdapter } from "./adapter.ts";
import { EngineError } from "./errors.ts";
import { singleStatement, type Token } from "./sql-tokens.ts";

export async function dropQuietly(conn: ConnectionAdapter, kind: "VIEW" | "TABLE", target: string): Promise<void> {
  // DROP VIEW on a table (or the reverse) is an error in DuckDB; either way nothing of that kind is left.
  await conn.run(`DROP ${kind} IF EXISTS ${target}`).catch(() => undefined);
}

export function singleStatementOrError(sql: string, tokens: Token[]): { body: string; tokens: Token[] } {
  try {
    return singleStatement(sql, tokens);
  } catch (error) {
    throw new EngineError((error as Error).message, "input", (error as { position?: number }).position);
  }
}

export function toEngineError(parsed: { message: string; position?: number }): EngineError {
  return new EngineError(parsed.message, "sql", parsed.position);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A WASM trap or a dead worker, as opposed to an SQL error: the database instance cannot be trusted afterwards. */
export function isCrash(error: unknown): boolean {
  if (typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError) return true;
  const message = messageOf(error);
  return (
    message.includes("memory access out of bounds") ||
    message.startsWith("Aborted(") ||
    message.includes("worker terminated") ||
    message.includes("Worker terminated")
  );
}
