/**
 * Sorting, filtering and copying of the rows a results grid displays. Pure: the grid only renders what these return.
 *
 * Views are arrays of row indices into the original rows, so sorting and filtering 10,000 rows never copies row objects and
 * a selected cell can always be traced back to its source row.
 */
import {
  CellFormatter,
  type ColumnKind,
  clipboardText,
  columnKind,
  type GridColumn,
  isNumericKind,
  rawText,
  toDate,
} from "./format.ts";

export type SortDirection = "asc" | "desc";
export interface SortState {
  column: string;
  direction: SortDirection;
}

/** Header click cycle: none → ascending → descending → none; a click on another column starts it ascending. */
export function nextSort(current: SortState | null, column: string): SortState | null {
  if (!current || current.column !== column) return { column, direction: "asc" };
  if (current.direction === "asc") return { column, direction: "desc" };
  return null;
}

/** The `aria-sort` value of a column header. */
export function ariaSort(sort: SortState | null, column: string): "ascending" | "descending" | "none" {
  if (!sort || sort.column !== column) return "none";
  return sort.direction === "asc" ? "ascending" : "descending";
}

type SortKey = { k: "n"; v: number } | { k: "b"; v: bigint } | { k: "s"; v: string } | null;

/** One comparable key per value, computed once per sort rather than once per comparison. */
function sortKey(value: unknown, kind: ColumnKind): SortKey {
  if (value === null || value === undefined) return null;
  if (isNumericKind(kind)) {
    if (typeof value === "number") return Number.isNaN(value) ? null : { k: "n", v: value };
    if (typeof value === "bigint") return { k: "b", v: value };
    if (typeof value === "string") {
      const t = value.trim();
      if (/^[-+]?\d+$/.test(t)) return { k: "b", v: BigInt(t) };
      const n = Number(t);
      if (t !== "" && !Number.isNaN(n)) return { k: "n", v: n };
    }
  }
  if (kind === "date" || kind === "timestamp" || kind === "timestamptz") {
    const d = toDate(value);
    if (d) return { k: "n", v: d.getTime() };
  }
  if (typeof value === "boolean") return { k: "n", v: value ? 1 : 0 };
  return { k: "s", v: rawText(value) };
}

/** Numbers and BigInts compare exactly across the two representations (a BIGINT column may mix them). */
function compareNumeric(a: number | bigint, b: number | bigint): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  // Mixed: compare as BigInt when the number is an integer (exact), otherwise as numbers (precision loss is harmless here).
  if (typeof a === "number" && Number.isInteger(a)) return compareNumeric(BigInt(a), b);
  if (typeof b === "number" && Number.isInteger(b)) return compareNumeric(a, BigInt(b));
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareKeys(a: Exclude<SortKey, null>, b: Exclude<SortKey, null>, collator: Intl.Collator): number {
  if (a.k === "s" || b.k === "s") {
    if (a.k === "s" && b.k === "s") return collator.compare(a.v, b.v);
    return a.k === "s" ? 1 : -1; // numbers before text in a mixed column
  }
  return compareNumeric(a.v, b.v);
}

export interface ViewOptions {
  sort: SortState | null;
  filter: string;
  locale: string;
  /** Reuse the grid's formatter so filtering matches exactly the text on screen. */
  formatter?: CellFormatter;
}

/**
 * Indices of the rows to display, filtered then sorted. The filter is a case- and accent-insensitive substring match on
 * any cell's displayed text or raw value; the word `null` matches NULL cells. NULLs sort last in both directions, as DuckDB does
 * by default; ties keep the query's order.
 */
export function viewRows(
  rows: readonly Record<string, unknown>[],
  columns: readonly GridColumn[],
  options: ViewOptions,
): number[] {
  const formatter = options.formatter ?? new CellFormatter(options.locale);
  let indices = rows.map((_, i) => i);
  const needle = fold(options.filter.trim());
  if (needle) {
    const kinds = columns.map((c) => columnKind(c.type));
    indices = indices.filter((i) =>
      columns.some((c, j) => {
        const v = rows[i][c.name];
        if (v === null || v === undefined) return needle === "null";
        const shown = formatter.format(v, c.type, kinds[j]) ?? "";
        return fold(shown).includes(needle) || fold(rawText(v)).includes(needle);
      }),
    );
  }
  const sort = options.sort;
  const column = sort && columns.find((c) => c.name === sort.column);
  if (sort && column) {
    const kind = columnKind(column.type);
    const keys = new Map<number, SortKey>();
    for (const i of indices) keys.set(i, sortKey(rows[i][column.name], kind));
    const collator = new Intl.Collator(formatter.locale, { numeric: true, sensitivity: "base" });
    const sign = sort.direction === "asc" ? 1 : -1;
    indices.sort((i, j) => {
      const a = keys.get(i) ?? null;
      const b = keys.get(j) ?? null;
      if (a === null || b === null) return a === b ? i - j : a === null ? 1 : -1;
      return sign * compareKeys(a, b, collator) || i - j;
    });
  }
  return indices;
}

/** Lower-case without accents: "Bouaké" is found by typing "bouake". */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/**
 * A field for tab-separated text that spreadsheets read back as one cell: fields holding a tab, newline or quote are quoted
 * with inner quotes doubled (what Excel and Google Sheets produce and accept on paste).
 */
export function tsvField(text: string): string {
  return /[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The displayed rows as TSV with a header line; values are locale-neutral (see `clipboardText`) and NULL is empty. */
export function rowsToTsv(
  rows: readonly Record<string, unknown>[],
  columns: readonly GridColumn[],
  indices: readonly number[],
): string {
  const kinds = columns.map((c) => columnKind(c.type));
  const lines = [columns.map((c) => tsvField(c.name)).join("\t")];
  for (const i of indices) {
    lines.push(columns.map((c, j) => tsvField(clipboardText(rows[i][c.name], c.type, kinds[j]))).join("\t"));
  }
  return lines.join("\n");
}

export interface CellPosition {
  /** Index into the displayed (filtered, sorted) rows, not the source rows. */
  row: number;
  col: number;
}

/** Moves a selected cell by a key press, clamped to the grid; returns `null` for keys that are not grid navigation. */
export function moveSelection(
  at: CellPosition | null,
  key: string,
  size: { rows: number; cols: number; page: number },
  ctrl = false,
): CellPosition | null {
  if (size.rows === 0 || size.cols === 0) return null;
  const cur = at ?? { row: 0, col: 0 };
  if (!at && ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"].includes(key)) return cur;
  const clampRow = (r: number) => Math.max(0, Math.min(size.rows - 1, r));
  const clampCol = (c: number) => Math.max(0, Math.min(size.cols - 1, c));
  switch (key) {
    case "ArrowUp":
      return { row: clampRow(cur.row - 1), col: cur.col };
    case "ArrowDown":
      return { row: clampRow(cur.row + 1), col: cur.col };
    case "ArrowLeft":
      return { row: cur.row, col: clampCol(cur.col - 1) };
    case "ArrowRight":
      return { row: cur.row, col: clampCol(cur.col + 1) };
    case "PageUp":
      return { row: clampRow(cur.row - size.page), col: cur.col };
    case "PageDown":
      return { row: clampRow(cur.row + size.page), col: cur.col };
    case "Home":
      return ctrl ? { row: 0, col: 0 } : { row: cur.row, col: 0 };
    case "End":
      return ctrl ? { row: size.rows - 1, col: size.cols - 1 } : { row: cur.row, col: size.cols - 1 };
    default:
      return null;
  }
}
