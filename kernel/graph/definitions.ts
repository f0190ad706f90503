/**
 * Cell names. A SQL cell's name is the view later cells select from, so it must be a plain SQL identifier; DuckDB
 * compares identifiers case-insensitively, so "Cases" and "cases" are the same name.
 */

export interface NamedCell {
  id: string;
  name: string;
}

const MAX_NAME_LENGTH = 63;

/** Words a bare table name cannot be in DuckDB's grammar (a view named `select` could only be used quoted). */
const RESERVED = new Set(
  (
    "all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default deferrable desc " +
    "describe distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit " +
    "not null offset on only or order placing primary qualify references returning select show summarize symmetric table then to trailing " +
    "true union unique using variadic when where window with pivot unpivot join inner outer left right full cross natural semi anti asof " +
    "positional main memory system temp information_schema pg_catalog"
  ).split(" "),
);

export type NameProblem = {
  kind: "empty" | "too-long" | "invalid-character" | "starts-with-digit" | "reserved" | "duplicate";
  message: string;
};

export function checkCellName(name: string, others: readonly NamedCell[] = [], selfId?: string): NameProblem | null {
  if (name.length === 0) return { kind: "empty", message: "A cell name cannot be empty" };
  if (name.length > MAX_NAME_LENGTH)
    return { kind: "too-long", message: `Cell name \`${name.slice(0, 20)}…\` is longer than ${MAX_NAME_LENGTH} characters` };
  const first = name[0];
  if (first >= "0" && first <= "9")
    return { kind: "starts-with-digit", message: `Cell name \`${name}\` cannot start with a digit` };
  for (const ch of name) {
    if (!isNameChar(ch))
      return { kind: "invalid-character", message: `Cell name \`${name}\` may hold only letters, digits and _ (found '${ch}')` };
  }
  if (RESERVED.has(name.toLowerCase()))
    return { kind: "reserved", message: `\`${name}\` is a SQL keyword; choose another cell name` };
  const clash = others.find((c) => c.id !== selfId && c.name.toLowerCase() === name.toLowerCase());
  if (clash) return { kind: "duplicate", message: `Another cell is already named \`${clash.name}\`` };
  return null;
}

export function isValidCellName(name: string): boolean {
  return checkCellName(name) === null;
}

function isNameChar(ch: string): boolean {
  return (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || (ch >= "0" && ch <= "9") || ch === "_";
}

/** The next free default name: `cell1`, `cell2`, … (one more than the highest in use, so deleting never reuses a name). */
export function nextDefaultName(existing: readonly string[], prefix = "cell"): string {
  let highest = 0;
  for (const name of existing) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(prefix)) continue;
    const digits = lower.slice(prefix.length);
    if (digits.length > 0 && [...digits].every((d) => d >= "0" && d <= "9")) highest = Math.max(highest, Number(digits));
  }
  return `${prefix}${highest + 1}`;
}

/** Names used by more than one cell (case-insensitive), with the ids of the cells involved, in notebook order. */
export function findDuplicateNames(cells: readonly NamedCell[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const cell of cells) {
    const key = cell.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), cell.id]);
  }
  for (const [key, ids] of byName) if (ids.length < 2) byName.delete(key);
  return byName;
}
