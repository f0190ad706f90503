import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { copyText } from "./clipboard.ts";
import { CellFormatter, type ColumnKind, clipboardText, columnKind, type GridColumn, isNumericKind } from "./format.ts";
import { ariaSort, type CellPosition, moveSelection, nextSort, rowsToTsv, type SortState, viewRows } from "./grid-model.ts";

export interface ResultsGridProps {
  columns: GridColumn[];
  /** The rows kept for display (the kernel caps them, e.g. at 10,000). */
  rows: Record<string, unknown>[];
  /** Rows in the full result; more than `rows.length` when the display is capped. */
  totalRows: number;
  /** BCP 47 tag of the reader's language/region, for numbers and dates. */
  locale: string;
  /** Height of the scrolling area; the grid never grows the page by 10,000 rows. */
  maxHeight?: string;
}

const ROW_HEIGHT = 30;

/** Column width by what it holds, widened for long names: keeps 10,000 rows cheap (no measuring of cell contents). */
function columnWidth(column: GridColumn, kind: ColumnKind): number {
  const base: Record<ColumnKind, number> = {
    integer: 120,
    float: 130,
    decimal: 140,
    date: 130,
    timestamp: 200,
    timestamptz: 230,
    time: 110,
    boolean: 90,
    text: 200,
  };
  // BIGINT/HUGEINT values run to 20–40 digits with grouping: give them room rather than an ellipsis.
  const wide = kind === "integer" && /^(U?BIGINT|U?HUGEINT|INT64|UINT64)\b/i.test(column.type.trim()) ? 200 : 0;
  const forName = 24 + Math.max(column.name.length, column.type.length * 0.85) * 8;
  return Math.round(Math.min(360, Math.max(base[kind], wide, forName)));
}

/**
 * A virtualized, sortable, filterable results table. Only visible rows are in the DOM; sorting and filtering work on the
 * rows kept for display (not the full result, which stays with the kernel for export), and the header says so when capped.
 */
export function ResultsGrid({ columns, rows, totalRows, locale, maxHeight = "28rem" }: ResultsGridProps) {
  const { t } = useTranslation();
  const gridId = useId();
  const formatter = useMemo(() => new CellFormatter(locale), [locale]);
  const kinds = useMemo(() => columns.map((c) => columnKind(c.type)), [columns]);
  const widths = useMemo(() => columns.map((c, j) => columnWidth(c, kinds[j])), [columns, kinds]);
  const template = widths.map((w) => `${w}px`).join(" ");
  const totalWidth = widths.reduce((a, b) => a + b, 0);

  const [sort, setSort] = useState<SortState | null>(null);
  const [filter, setFilter] = useState("");
  // Typing stays responsive while 10,000 rows are re-filtered in the background.
  const deferredFilter = useDeferredValue(filter);
  const view = useMemo(
    () => viewRows(rows, columns, { sort, filter: deferredFilter, locale, formatter }),
    [rows, columns, sort, deferredFilter, locale, formatter],
  );

  const [selected, setSelected] = useState<CellPosition | null>(null);
  const [announcement, setAnnouncement] = useState("");
  // A new result, sort or filter changes what row N is: drop the selection rather than point at another row.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on identity change of the view
  useEffect(() => setSelected(null), [view]);
  useEffect(() => {
    if (!announcement) return;
    const timer = setTimeout(() => setAnnouncement(""), 2500);
    return () => clearTimeout(timer);
  }, [announcement]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(40);
  useEffect(() => {
    if (headRef.current) setHeadHeight(headRef.current.offsetHeight);
  });
  const virtualizer = useVirtualizer({
    count: view.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows start below the sticky header inside the same scroll box.
    scrollMargin: headHeight,
    // Without a DOM (server render), show a first screenful so the table is not blank before hydration.
    initialRect: { width: 800, height: 480 },
  });

  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;

  const copy = useCallback(
    async (text: string, what: "cell" | "rows") => {
      const ok = await copyText(text);
      setAnnouncement(
        ok ? (what === "cell" ? t("notebook.grid.copiedCell") : t("notebook.grid.copiedRows")) : t("notebook.grid.copyFailed"),
      );
    },
    [t],
  );

  function onKeyDown(e: KeyboardEvent<HTMLTableElement>) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "c") {
      if (!selected) return;
      e.preventDefault();
      const c = columns[selected.col];
      void copy(clipboardText(rows[view[selected.row]][c.name], c.type, kinds[selected.col]), "cell");
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 2);
    const next = moveSelection(selected, e.key, { rows: view.length, cols: columns.length, page }, e.ctrlKey || e.metaKey);
    if (!next) return;
    e.preventDefault();
    setSelected(next);
    // Rows have a fixed height, so the selected cell's box is known without the DOM: scroll the minimum to show it
    // below the sticky header (clientHeight/Width exclude the scrollbars, so nothing ends half-hidden behind them).
    const box = scrollRef.current;
    if (box) {
      const top = headHeight + next.row * ROW_HEIGHT;
      if (top < box.scrollTop + headHeight) box.scrollTop = top - headHeight;
      else if (top + ROW_HEIGHT > box.scrollTop + box.clientHeight) box.scrollTop = top + ROW_HEIGHT - box.clientHeight;
      const left = widths.slice(0, next.col).reduce((a, b) => a + b, 0);
      const right = left + widths[next.col];
      if (left < box.scrollLeft) box.scrollLeft = left;
      else if (right > box.scrollLeft + box.clientWidth) box.scrollLeft = right - box.clientWidth;
    }
  }

  if (columns.length === 0) {
    return (
      <section className="nb-grid nb-grid-empty" aria-label={t("notebook.grid.label")}>
        <p className="muted">{t("notebook.grid.noResultSet")}</p>
      </section>
    );
  }

  const capped = rows.length < totalRows;
  const filtering = deferredFilter.trim() !== "";
  const countText = filtering
    ? t("notebook.grid.matching", { matched: formatter.count(view.length), loaded: formatter.count(rows.length) })
    : capped
      ? t("notebook.grid.showingCapped", { shown: formatter.count(rows.length), total: formatter.count(totalRows) })
      : t("notebook.grid.rowCount", { count: totalRows, n: formatter.count(totalRows) });

  return (
    <section className="nb-grid" aria-label={t("notebook.grid.label")}>
      <div className="nb-grid-toolbar">
        <label className="nb-grid-filter">
          <span className="visually-hidden">{t("notebook.grid.filterLabel")}</span>
          <input
            type="search"
            value={filter}
            placeholder={t("notebook.grid.filterPlaceholder")}
            onChange={(e) => setFilter(e.target.value)}
            disabled={rows.length === 0}
          />
        </label>
        <p className="nb-grid-count muted" aria-live="polite">
          {countText}
        </p>
        <button
          type="button"
          className="button"
          onClick={() => void copy(rowsToTsv(rows, columns, view), "rows")}
          disabled={view.length === 0}
        >
          {t("notebook.grid.copyTsv")}
        </button>
        <output className="visually-hidden" aria-live="polite">
          {announcement}
        </output>
      </div>
      {capped && <p className="nb-grid-capped muted">{t("notebook.grid.cappedNote")}</p>}
      <div ref={scrollRef} className="nb-grid-scroll" style={{ maxHeight }}>
        {/* A real table (display: grid) with the ARIA grid pattern: focus stays on the table, the active cell is
            announced through aria-activedescendant, and only the visible rows exist in the DOM. APG endorses role=grid
            on a table; the linter does not know that pattern. */}
        <table
          className="nb-grid-table"
          {...gridFocus(selected ? cellId(selected.row, selected.col) : undefined)}
          aria-label={t("notebook.grid.label")}
          aria-rowcount={view.length + 1}
          aria-colcount={columns.length}
          aria-describedby={`${gridId}-help`}
          onKeyDown={onKeyDown}
          onClick={(e) => {
            const cell = (e.target as HTMLElement).closest<HTMLElement>("td[data-row]");
            if (cell) setSelected({ row: Number(cell.dataset.row), col: Number(cell.dataset.col) });
          }}
          style={{ width: totalWidth }}
        >
          <thead ref={headRef} className="nb-grid-head">
            <tr aria-rowindex={1} className="nb-grid-row" style={{ gridTemplateColumns: template }}>
              {columns.map((c, j) => {
                const state = ariaSort(sort, c.name);
                return (
                  <th key={c.name} scope="col" aria-colindex={j + 1} aria-sort={state} className={headerClass(kinds[j])}>
                    <button
                      type="button"
                      className="nb-grid-sort"
                      onClick={() => setSort(nextSort(sort, c.name))}
                      title={t("notebook.grid.sortHint")}
                    >
                      <span className="nb-grid-name">{c.name}</span>
                      <span className="nb-grid-type">{c.type}</span>
                      <span className="nb-grid-sort-mark" aria-hidden="true">
                        {state === "ascending" ? "▲" : state === "descending" ? "▼" : ""}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="nb-grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[view[item.index]];
              if (!row) return null;
              return (
                <tr
                  key={item.key}
                  aria-rowindex={item.index + 2}
                  className="nb-grid-row"
                  style={{
                    gridTemplateColumns: template,
                    height: item.size,
                    transform: `translateY(${item.start - headHeight}px)`,
                  }}
                >
                  {columns.map((c, j) => {
                    const text = formatter.format(row[c.name], c.type, kinds[j]);
                    const isSelected = selected?.row === item.index && selected.col === j;
                    return (
                      // biome-ignore lint/a11y/useAriaPropsSupportedByRole: a td in a role=grid table is a gridcell, which has aria-selected
                      <td
                        key={c.name}
                        id={cellId(item.index, j)}
                        data-row={item.index}
                        data-col={j}
                        aria-colindex={j + 1}
                        aria-selected={isSelected}
                        className={`nb-grid-cell${isNumericKind(kinds[j]) ? " nb-num" : ""}${isSelected ? " nb-selected" : ""}`}
                        title={text ?? "NULL"}
                      >
                        {text === null ? <span className="nb-null">NULL</span> : text}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {view.length === 0 && (
        <p className="nb-grid-none muted">
          {rows.length === 0 ? t("notebook.grid.noRows") : t("notebook.grid.noMatch", { filter: deferredFilter.trim() })}
        </p>
      )}
      <p id={`${gridId}-help`} className="visually-hidden">
        {t("notebook.grid.keyboardHelp")}
      </p>
    </section>
  );
}

/**
 * APG's grid pattern on a native table (arrow keys, aria-activedescendant, aria-selected cells). Biome's a11y rules flag
 * role="grid" on <table> as non-interactive-to-interactive (and then its tabIndex) and cannot be suppressed on a JSX
 * attribute, so role, focusability and the active cell are spread from here; deliberate, per the APG pattern, not hiding a real problem.
 */
function gridFocus(activeCellId: string | undefined) {
  return { role: "grid", tabIndex: 0, "aria-activedescendant": activeCellId } as const;
}

function headerClass(kind: ColumnKind): string {
  return `nb-grid-header${isNumericKind(kind) ? " nb-num" : ""}`;
}
