import { describe, expect, it } from "vitest";
import { parseDuckDBError } from "./errors.ts";

describe("parseDuckDBError", () => {
  it("turns the caret under LINE n into an offset in the executed text", () => {
    const sql = "SELECT a,\n  foo FROM t";
    const error = new Error(
      'Binder Error: Referenced column "foo" not found in FROM clause!\n\nLINE 2:   foo FROM t\n          ^',
    );
    expect(parseDuckDBError(error, sql)).toEqual({
      message: 'Binder Error: Referenced column "foo" not found in FROM clause!',
      position: sql.indexOf("foo"),
    });
  });

  it("finds the position when DuckDB elides a long line with ...", () => {
    const sql = `SELECT ${"x, ".repeat(40)}missing_col FROM t`;
    const shown = sql.slice(sql.indexOf("missing_col") - 20, sql.indexOf("missing_col") + 20);
    const caret = " ".repeat("LINE 1: ...".length + 20);
    const error = new Error(`Binder Error: Referenced column "missing_col" not found\n\nLINE 1: ...${shown}...\n${caret}^`);
    expect(parseDuckDBError(error, sql).position).toBe(sql.indexOf("missing_col"));
  });

  it("reads the JSON form with its position", () => {
    const error = new Error('{"exception_type":"Parser","exception_message":"syntax error at end of input","position":"10"}');
    expect(parseDuckDBError(error, "SELECT 1 +")).toEqual({
      message: "Parser Error: syntax error at end of input",
      position: 10,
    });
  });

  it("places 'at end of input' at the end of the text", () => {
    expect(parseDuckDBError(new Error("Parser Error: syntax error at end of input"), "SELECT 1 +  ")).toEqual({
      message: "Parser Error: syntax error at end of input",
      position: 10,
    });
  });

  it("keeps messages without a position as they are", () => {
    expect(parseDuckDBError(new Error("Out of Memory Error: failed to allocate"), "SELECT 1")).toEqual({
      message: "Out of Memory Error: failed to allocate",
    });
  });
});
