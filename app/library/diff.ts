/**
 * A line diff between two versions' SQL, as plain data the page renders as text nodes (never as HTML: SQL is
 * untrusted). Built on `diff`'s line algorithm; each output line carries its number in the old and/or new text.
 */
import { diffLines } from "diff";

export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
  oldNumber: number | null;
  newNumber: number | null;
}

const splitLines = (value: string): string[] => {
  const lines = value.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
};

export function lineDiff(oldText: string, newText: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNumber = 1;
  let newNumber = 1;
  for (const part of diffLines(oldText.replaceAll("\r\n", "\n"), newText.replaceAll("\r\n", "\n"))) {
    for (const text of splitLines(part.value)) {
      if (part.added) out.push({ kind: "added", text, oldNumber: null, newNumber: newNumber++ });
      else if (part.removed) out.push({ kind: "removed", text, oldNumber: oldNumber++, newNumber: null });
      else out.push({ kind: "same", text, oldNumber: oldNumber++, newNumber: newNumber++ });
    }
  }
  return out;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  return {
    added: lines.filter((l) => l.kind === "added").length,
    removed: lines.filter((l) => l.kind === "removed").length,
  };
}
