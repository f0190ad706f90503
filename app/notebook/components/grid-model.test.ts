import { describe, expect, it } from "vitest";
import { ariaSort, fold, moveSelection, nextSort, rowsToTsv, tsvField, viewRows } from "./grid-model.ts";

const columns = [
  { name: "district", type: "VARCHAR" },
  { name: "cases", type: "BIGINT" },
  { name: "period_start", type: "DATE" },
];
const rows = [
  { district: "Bouaké", cases: 12n, period_start: Date.UTC(2024, 1, 1) },
  { district: "abidjan", cases: null, period_start: Date.UTC(2024, 0, 1) },
  { district: "Korhogo", cases: 9007199254740993n, period_start: null },
  { district: "District 10", cases: 3, period_start: Date.UTC(2023, 11, 1) },
  { district: "District 9", cases: 9007199254740992n, period_start: Date.UTC(2024, 2, 1) },
];
const names = (idx: number[]) => idx.map((i) => rows[i].district);

describe("sort cycle", () => {
  it("goes none → asc → desc → none, and restarts on another column", () => {
    let s = nextSort(null, "cases");
    expect(s).toEqual({ column: "cases", direction: "asc" });
    s = nextSort(s, "cases");
    expect(s).toEqual({ column: "cases", direction: "desc" });
    expect(nextSort(s, "cases")).toBeNull();
    expect(nextSort(s, "district")).toEqual({ column: "district", direction: "asc" });
  });

  it("reports aria-sort", () => {
    expect(ariaSort({ column: "a", direction: "desc" }, "a")).toBe("descending");
    expect(ariaSort({ column: "a", direction: "desc" }, "b")).toBe("none");
    expect(ariaSort(null, "a")).toBe("none");
  });
});

describe("viewRows", () => {
  const opts = { locale: "en", filter: "", sort: null };

  it("keeps the query's order without sort or filter", () => {
    expect(viewRows(rows, columns, opts)).toEqual([0, 1, 2, 3, 4]);
  });

  it("sorts BigInts exactly past 2^53, mixed with numbers, NULLs last both ways", () => {
    const asc = viewRows(rows, columns, { ...opts, sort: { column: "cases", direction: "asc" } });
    expect(names(asc)).toEqual(["District 10", "Bouaké", "District 9", "Korhogo", "abidjan"]);
    const desc = viewRows(rows, columns, { ...opts, sort: { column: "cases", direction: "desc" } });
    expect(names(desc)).toEqual(["Korhogo", "District 9", "Bouaké", "District 10", "abidjan"]);
  });

  it("sorts text with a locale collator, numeric-aware and case-insensitive", () => {
    const asc = viewRows(rows, columns, { ...opts, sort: { column: "district", direction: "asc" } });
    expect(names(asc)).toEqual(["abidjan", "Bouaké", "District 9", "District 10", "Korhogo"]);
  });

  it("sorts dates by time", () => {
    const asc = viewRows(rows, columns, { ...opts, sort: { column: "period_start", direction: "asc" } });
    expect(names(asc)).toEqual(["District 10", "abidjan", "Bouaké", "District 9", "Korhogo"]);
  });

  it("is stable for ties", () => {
    const tied = [
      { v: 1, i: "a" },
      { v: 1, i: "b" },
      { v: 0, i: "c" },
      { v: 1, i: "d" },
    ];
    const cols = [{ name: "v", type: "INTEGER" }];
    const desc = viewRows(tied, cols, { ...opts, sort: { column: "v", direction: "desc" } });
    expect(desc.map((i) => tied[i].i)).toEqual(["a", "b", "d", "c"]);
  });

  it("filters on displayed text and raw values, ignoring case and accents", () => {
    expect(names(viewRows(rows, columns, { ...opts, filter: "bouake" }))).toEqual(["Bouaké"]);
    // "9,007,199,254,740,993" is what the reader sees; "9007199254740993" is the raw value: both match.
    expect(names(viewRows(rows, columns, { ...opts, filter: "9,007,199,254,740,993" }))).toEqual(["Korhogo"]);
    expect(names(viewRows(rows, columns, { ...opts, filter: "9007199254740993" }))).toEqual(["Korhogo"]);
    expect(names(viewRows(rows, columns, { ...opts, filter: "Jan 1, 2024" }))).toEqual(["abidjan"]);
    expect(names(viewRows(rows, columns, { ...opts, filter: "NULL" }))).toEqual(["abidjan", "Korhogo"]);
    expect(viewRows(rows, columns, { ...opts, filter: "nowhere" })).toEqual([]);
  });

  it("filters then sorts", () => {
    const v = viewRows(rows, columns, { ...opts, filter: "district", sort: { column: "cases", direction: "desc" } });
    expect(names(v)).toEqual(["District 9", "District 10"]);
  });

  it("ignores a sort on a column that no longer exists", () => {
    expect(viewRows(rows, columns, { ...opts, sort: { column: "gone", direction: "asc" } })).toEqual([0, 1, 2, 3, 4]);
  });

  it("handles 10,000 rows", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ n: (i * 7919) % 10_000, s: `row ${i}` }));
    const cols = [
      { name: "n", type: "INTEGER" },
      { name: "s", type: "VARCHAR" },
    ];
    const v = viewRows(many, cols, { ...opts, sort: { column: "n", direction: "asc" } });
    expect(v.length).toBe(10_000);
    expect(many[v[0]].n).toBe(0);
    expect(many[v[9999]].n).toBe(9999);
  });
});

describe("TSV", () => {
  it("quotes fields holding tabs, newlines or quotes", () => {
    expect(tsvField("plain")).toBe("plain");
    expect(tsvField('a\tb "c"\nd')).toBe('"a\tb ""c""\nd"');
  });

  it("copies the displayed rows with a header, locale-neutral, NULL empty", () => {
    const tsv = rowsToTsv(rows, columns, [1, 2]);
    expect(tsv).toBe("district\tcases\tperiod_start\nabidjan\t\t2024-01-01\nKorhogo\t9007199254740993\t");
  });
});

describe("moveSelection", () => {
  const size = { rows: 100, cols: 3, page: 10 };
  it("moves and clamps", () => {
    expect(moveSelection(null, "ArrowDown", size)).toEqual({ row: 0, col: 0 });
    expect(moveSelection({ row: 0, col: 0 }, "ArrowUp", size)).toEqual({ row: 0, col: 0 });
    expect(moveSelection({ row: 5, col: 2 }, "ArrowRight", size)).toEqual({ row: 5, col: 2 });
    expect(moveSelection({ row: 95, col: 1 }, "PageDown", size)).toEqual({ row: 99, col: 1 });
    expect(moveSelection({ row: 5, col: 1 }, "End", size, true)).toEqual({ row: 99, col: 2 });
    expect(moveSelection({ row: 5, col: 1 }, "Home", size)).toEqual({ row: 5, col: 0 });
    expect(moveSelection({ row: 5, col: 1 }, "x", size)).toBeNull();
    expect(moveSelection(null, "ArrowDown", { rows: 0, cols: 3, page: 10 })).toBeNull();
  });
});

it("fold drops case and accents", () => {
  expect(fold("Ségou ÉTÉ")).toBe("segou ete");
});
