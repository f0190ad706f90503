import { describe, expect, it } from "vitest";
import { diffStats, lineDiff } from "./diff.ts";

describe("line diff of two versions", () => {
  it("marks added, removed and unchanged lines with their numbers on each side", () => {
    const lines = lineDiff("SELECT a\nFROM t\nWHERE x = 1\n", "SELECT a, b\nFROM t\nWHERE x = 1\nLIMIT 5");
    expect(lines).toEqual([
      { kind: "removed", text: "SELECT a", oldNumber: 1, newNumber: null },
      { kind: "added", text: "SELECT a, b", oldNumber: null, newNumber: 1 },
      { kind: "same", text: "FROM t", oldNumber: 2, newNumber: 2 },
      { kind: "same", text: "WHERE x = 1", oldNumber: 3, newNumber: 3 },
      { kind: "added", text: "LIMIT 5", oldNumber: null, newNumber: 4 },
    ]);
    expect(diffStats(lines)).toEqual({ added: 2, removed: 1 });
  });
  it("keeps markup as text and treats CRLF like LF", () => {
    const lines = lineDiff("SELECT 1\r\n", "SELECT '<img src=x onerror=alert(1)>'\n");
    expect(lines.map((l) => l.text)).toEqual(["SELECT 1", "SELECT '<img src=x onerror=alert(1)>'"]);
    expect(lineDiff("same\r\n", "same\n")).toEqual([{ kind: "same", text: "same", oldNumber: 1, newNumber: 1 }]);
  });
});
