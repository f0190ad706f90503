import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  addCell,
  type CellKind,
  deleteCell,
  getMeta,
  getSource,
  LOCAL_ORIGIN,
  moveCellAt,
  setCellName,
  setKind,
} from "../../../collab/index.ts";
import { checkCellName, nextDefaultName } from "../../../kernel/graph/index.ts";
import type { LocationNode } from "../../../kernel/parameters/index.ts";
import type { RunMode } from "../../notebook/components/index.ts";
import { renameChartSources } from "../client/chart-config.ts";
import { buildEditorSchema } from "../client/editor-schema.ts";
import { updateInputConfig } from "../client/input-config.ts";
import { linkCell } from "../client/library-links.ts";
import { useCellExports } from "../client/use-cell-exports.ts";
import { type KernelDataset, useKernel } from "../client/use-kernel.ts";
import { useLibraryLinks, useLinkedReruns } from "../client/use-library-links.ts";
import { useNotebookDoc } from "../client/use-notebook-doc.ts";
import { useNotebookInputs } from "../client/use-notebook-inputs.ts";
import { CELL_FIELD, usePresence } from "../client/use-presence.ts";
import { chartCellParts } from "./chart/chart-cell.tsx";
import { CellExportMenu } from "./inputs/CellExportMenu.tsx";
import { InputCellBody } from "./inputs/InputCellBody.tsx";
import { InputNotices } from "./inputs/InputNotices.tsx";
import { CellLibraryMenu } from "./library/CellLibraryMenu.tsx";
import { InsertFromLibrary } from "./library/InsertFromLibrary.tsx";
import { linkedCellRenderer } from "./library/LinkedCellBody.tsx";
import { NotebookCell } from "./NotebookCell.tsx";
import { NotebookHeader, type NotebookHeaderProps } from "./NotebookHeader.tsx";
import { NotebookToolbar } from "./NotebookToolbar.tsx";
import { PresenceAvatars } from "./Presence.tsx";

export interface NotebookPageProps {
  header: NotebookHeaderProps;
  user: { id: string; name: string };
  datasets: (KernelDataset & { title: string })[];
  /** The workspace hierarchy, for location pickers. */
  locations: LocationNode[];
  levels: { level: number; name: string }[];
}

/** Focuses a cell's editor (CodeMirror's content element, the markdown textarea, a chart's source picker) once it is on the page. */
function focusCell(id: string): boolean {
  const root = document.querySelector(`[data-cell-id="${CSS.escape(id)}"]`);
  const target = root?.querySelector<HTMLElement>(".cm-content, textarea, .nb-md-edit, .nb-chart-editor select");
  target?.focus();
  return Boolean(target);
}

/**
 * The notebook: cells from the Yjs document (co-edited live), run in this tab by DuckDB-WASM. Structure changes (add,
 * move, delete, kind, name) are Yjs operations; results are per reader and never stored in the document.
 */
export function NotebookPage({ header, user, datasets, locations, levels }: NotebookPageProps) {
  const { t, i18n } = useTranslation();
  const canEdit = header.canEdit;
  const { doc, connection, cells, runMode, status, loaded } = useNotebookDoc(header.id, user, canEdit);
  const [collapsed, setCollapsed] = useState<Record<string, { input: boolean; output: boolean }>>({});
  const [editingMarkdown, setEditingMarkdown] = useState<Record<string, boolean>>({});
  const [focusRequest, setFocusRequest] = useState<string | null>(null);
  const awareness = connection?.awareness ?? null;
  const peers = usePresence(awareness);
  const presence = <PresenceAvatars peers={peers} />;

  // Linked library cells run their library version's SQL (fetched with this reader's permissions).
  const library = useLibraryLinks(cells);
  const { forKernel } = library;
  const getCells = useCallback(
    () => (doc ? cells.map((c) => ({ ...c, ...forKernel(c, getSource(doc, c.id).toString()) })) : []),
    [doc, cells, forKernel],
  );
  const kernel = useKernel({ datasets, cells: library.kernelCells, getCells, mode: runMode });
  useLinkedReruns(library.states, kernel, runMode);
  const inputs = useNotebookInputs(cells, kernel, locations, loaded);
  const exports = useCellExports({
    notebookId: header.id,
    notebookTitle: header.title,
    kernel,
    getCells,
    bindings: inputs.params.bindings,
    datasetSlugs: datasets.map((d) => d.slug),
  });

  useEffect(() => {
    if (focusRequest && focusCell(focusRequest)) setFocusRequest(null);
  });

  // Rebuilt on every keystroke (cells change), but handed to the editors only when its content changes: a new schema
  // object reconfigures every editor's SQL language.
  const schemaKey = useMemo(
    () =>
      buildEditorSchema(
        datasets.map((d) => d.slug),
        cells
          .filter((c) => c.kind === "sql")
          .map((c) => ({ name: c.name, columns: kernel.runs[c.id]?.result?.columns.map((col) => col.name) ?? null })),
      ),
    [datasets, cells, kernel.runs],
  );
  const schemaJson = JSON.stringify(schemaKey);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by content on purpose (see above)
  const schema = useMemo(() => schemaKey, [schemaJson]);

  const sqlColumns = cells
    .filter((c) => c.kind === "sql" && c.name)
    .map((c) => ({ name: c.name, columns: kernel.runs[c.id]?.result?.columns.map((col) => col.name) ?? [] }));

  if (!doc || !loaded) {
    return (
      <>
        <NotebookHeader {...header} presence={presence} />
        <p className="muted nb-loading" aria-live="polite">
          {t("notebook.page.loading")}
        </p>
      </>
    );
  }

  const insertCell = (at: number, kind: CellKind) => {
    if (!canEdit) return;
    const names = cells.map((c) => c.name).filter(Boolean);
    const name =
      kind === "sql" ? nextDefaultName(names) : kind === "input" || kind === "chart" ? nextDefaultName(names, kind) : "";
    const id = addCell(doc, at, { kind, name });
    if (kind === "markdown") setEditingMarkdown((m) => ({ ...m, [id]: true }));
    setFocusRequest(id);
  };

  // Chart cells' editor, chart, menu and source (components; their hooks run inside them).
  const charts = Object.fromEntries(
    cells
      .filter((c) => c.kind === "chart")
      .map((c) => [c.id, chartCellParts({ doc, cell: c, cells, kernel, canEdit, locale: i18n.language, notebook: header })]),
  );

  const afterRun = (index: number, mode: RunMode) => {
    if (mode !== "advance") return;
    const next = cells[index + 1];
    if (next) setFocusRequest(next.id);
    else if (canEdit) insertCell(index + 1, "sql");
  };

  const toggle = (id: string, part: "input" | "output") =>
    setCollapsed((all) => {
      const current = all[id] ?? { input: false, output: false };
      return { ...all, [id]: { ...current, [part]: !current[part] } };
    });

  return (
    <>
      <NotebookHeader {...header} presence={presence} />
      <NotebookToolbar
        status={status}
        engineStatus={kernel.engineStatus}
        engineDetail={kernel.engineDetail}
        busy={kernel.busy}
        automatic={runMode === "automatic"}
        canEdit={canEdit}
        datasets={datasets}
        onRunAll={kernel.runAll}
        onStop={kernel.stop}
        onAutomaticChange={(automatic) =>
          doc.transact(() => getMeta(doc).set("runMode", automatic ? "automatic" : "manual"), LOCAL_ORIGIN)
        }
        library={canEdit ? <InsertFromLibrary doc={doc} cells={cells} onInserted={setFocusRequest} /> : undefined}
        onAddChart={canEdit ? () => insertCell(cells.length, "chart") : undefined}
      />
      <InputNotices notices={inputs.params.notices} onDismiss={inputs.params.dismissNotices} />
      <ol className="nb-cells" aria-label={t("notebook.page.cells")}>
        {cells.length === 0 && <li className="muted nb-no-cells">{t("notebook.page.noCells")}</li>}
        {cells.map((cell, index) => (
          <li
            key={cell.id}
            onFocus={() => {
              // Presence: the others see a marker on the cell this person is working in.
              if (awareness && awareness.getLocalState()?.[CELL_FIELD] !== cell.id)
                awareness.setLocalStateField(CELL_FIELD, cell.id);
            }}
          >
            <NotebookCell
              cell={cell}
              text={getSource(doc, cell.id)}
              awareness={awareness}
              here={peers.filter((peer) => !peer.self && peer.cell === cell.id)}
              run={kernel.runs[cell.kind === "chart" ? (charts[cell.id]?.sourceId ?? "") : cell.id]}
              canEdit={canEdit}
              locale={i18n.language}
              schema={schema}
              first={index === 0}
              last={index === cells.length - 1}
              collapsed={collapsed[cell.id] ?? { input: false, output: false }}
              markdownEditing={editingMarkdown[cell.id] ?? (canEdit && cell.source.trim() === "")}
              validateName={(name) => {
                const problem = checkCellName(name, cells, cell.id);
                return problem ? t("notebook.page.invalidName", { reason: problem.message }) : null;
              }}
              onRename={(name) => {
                setCellName(doc, cell.id, name);
                if (cell.kind === "sql" && cell.name) renameChartSources(doc, cells, cell.name, name);
              }}
              onKindChange={(kind) => {
                setKind(doc, cell.id, kind);
                if (kind === "sql" && !cell.name) setCellName(doc, cell.id, nextDefaultName(cells.map((c) => c.name)));
                if (kind === "chart" && !cell.name)
                  setCellName(
                    doc,
                    cell.id,
                    nextDefaultName(
                      cells.map((c) => c.name),
                      "chart",
                    ),
                  );
                if (kind === "input" && !cell.name)
                  setCellName(
                    doc,
                    cell.id,
                    nextDefaultName(
                      cells.map((c) => c.name),
                      "input",
                    ),
                  );
              }}
              onRun={(mode) => {
                if (cell.kind === "sql") kernel.runCell(cell.id);
                if (charts[cell.id]?.sourceId) kernel.runCell(charts[cell.id].sourceId ?? "");
                afterRun(index, mode);
              }}
              onStop={kernel.stop}
              onMove={(delta) => {
                moveCellAt(doc, index, index + delta);
                setFocusRequest(cell.id);
              }}
              onDelete={() => deleteCell(doc, cell.id)}
              onToggle={(part) => toggle(cell.id, part)}
              onEditMarkdown={(editing) => setEditingMarkdown((m) => ({ ...m, [cell.id]: editing }))}
              inputBody={
                cell.kind === "input" && inputs.parsedById[cell.id] ? (
                  <InputCellBody
                    cellName={cell.name}
                    config={cell.config}
                    parsed={inputs.parsedById[cell.id]}
                    value={inputs.params.values[cell.name]}
                    problem={inputs.params.problems[cell.name] ?? null}
                    options={inputs.columnOptions[cell.name] ?? null}
                    locations={locations}
                    levels={levels}
                    sqlCells={sqlColumns}
                    canEdit={canEdit}
                    onConfig={(patch) => updateInputConfig(doc, cell.id, patch)}
                    onValue={(value) => inputs.params.setValue(cell.name, value)}
                  />
                ) : undefined
              }
              chart={charts[cell.id]}
              linked={linkedCellRenderer(doc, cell.id, library.states[cell.id], { canEdit, onRetry: library.refresh })}
              menu={
                charts[cell.id] ? (
                  charts[cell.id].menu
                ) : cell.kind === "sql" ? (
                  <>
                    <CellExportMenu
                      unavailable={exports.unavailable(kernel.runs[cell.id])}
                      onAction={(action) => exports.act(cell, action)}
                    />
                    {header.canDuplicate && !library.states[cell.id] && (
                      <CellLibraryMenu
                        cell={() => ({ name: cell.name, source: getSource(doc, cell.id).toString() })}
                        inputs={inputs.definitions}
                        analyze={kernel.analyze}
                        onReplace={canEdit ? (link) => linkCell(doc, cell.id, link) : undefined}
                      />
                    )}
                  </>
                ) : undefined
              }
            />
            <div className="nb-between">
              {cell.kind === "sql" && (
                <button type="button" className="button nb-small" onClick={() => kernel.runCellAndBelow(cell.id)}>
                  {t("notebook.page.runBelow")}
                </button>
              )}
              {canEdit && (
                <>
                  <button type="button" className="button nb-small" onClick={() => insertCell(index + 1, "sql")}>
                    {t("notebook.page.addSql")}
                  </button>
                  <button type="button" className="button nb-small" onClick={() => insertCell(index + 1, "markdown")}>
                    {t("notebook.page.addMarkdown")}
                  </button>
                  <button type="button" className="button nb-small" onClick={() => insertCell(index + 1, "input")}>
                    {t("notebook.page.addInput")}
                  </button>
                  <button type="button" className="button nb-small" onClick={() => insertCell(index + 1, "chart")}>
                    {t("notebook.page.addChart")}
                  </button>
                </>
              )}
            </div>
          </li>
        ))}
      </ol>
      {canEdit && cells.length === 0 && (
        <div className="row-actions">
          <button type="button" className="button" onClick={() => insertCell(0, "sql")}>
            {t("notebook.page.addSql")}
          </button>
          <button type="button" className="button" onClick={() => insertCell(0, "markdown")}>
            {t("notebook.page.addMarkdown")}
          </button>
        </div>
      )}
    </>
  );
}
