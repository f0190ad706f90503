import { useTranslation } from "react-i18next";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import type { CellData } from "../../../collab/index.ts";
import type { CellRun } from "../../../kernel/index.ts";
import {
  CellFrame,
  type CellKind,
  type EditorSchema,
  ResultsGrid,
  type RunMode,
  SqlEditor,
  type SqlError,
} from "../../notebook/components/index.ts";
import type { Peer } from "../client/use-presence.ts";
import { MarkdownCellBody } from "./MarkdownCellBody.tsx";
import { CellPresence } from "./Presence.tsx";

/** Kinds this page can edit and run. */
export const EDITABLE_KINDS: readonly CellKind[] = ["sql", "markdown", "input", "chart"];

export interface NotebookCellProps {
  cell: CellData;
  text: Y.Text;
  awareness: Awareness | null;
  /** Other people whose cursor is in this cell. */
  here?: Peer[];
  run: CellRun | undefined;
  canEdit: boolean;
  locale: string;
  schema: EditorSchema;
  first: boolean;
  last: boolean;
  collapsed: { input: boolean; output: boolean };
  markdownEditing: boolean;
  validateName: (name: string) => string | null;
  onRename: (name: string) => void;
  onKindChange: (kind: CellKind) => void;
  onRun: (mode: RunMode) => void;
  onStop: () => void;
  onMove: (delta: -1 | 1) => void;
  onDelete: () => void;
  onToggle: (part: "input" | "output") => void;
  onEditMarkdown: (editing: boolean) => void;
  /** Input cells: the widget and its settings. */
  inputBody?: React.ReactNode;
  /** SQL cells linked to a library query: the query's header and read-only SQL, in place of the editor. */
  linked?: (editor: { label: string; error: SqlError | null; onRun: (mode: RunMode) => void }) => React.ReactNode;
  /** SQL and chart cells: the export menu. */
  menu?: React.ReactNode;
  /** Chart cells: the builder (input) and the chart (output); `run` is then the source cell's run. */
  chart?: { editor: React.ReactNode; view: React.ReactNode };
}

export function NotebookCell(p: NotebookCellProps) {
  const { cell, run, canEdit } = p;
  const { t } = useTranslation();
  const state = run?.state;
  const status = cell.kind === "sql" || cell.kind === "chart" ? (state?.status ?? "idle") : "idle";
  const error = status === "error" && state?.error ? state.error : null;
  const label = t("notebook.cell.label", { name: cell.name || t("notebook.cell.kind.markdown") });

  let input: React.ReactNode;
  let output: React.ReactNode | undefined;
  if (cell.kind === "sql") {
    input = p.linked ? (
      p.linked({ label, error, onRun: p.onRun })
    ) : (
      <SqlEditor
        yText={p.text}
        awareness={p.awareness ?? undefined}
        schema={p.schema}
        error={error}
        readOnly={!canEdit}
        label={label}
        placeholder={t("notebook.sqlCell.placeholder")}
        onRun={p.onRun}
      />
    );
    const problems = status !== "error" ? (run?.problems ?? []) : [];
    if (run?.result || problems.length > 0) {
      output = (
        <>
          {problems.length > 0 && (
            <ul className="nb-cell-problems">
              {problems.map((problem) => (
                <li key={`${problem.kind}:${problem.message}`}>{problem.message}</li>
              ))}
            </ul>
          )}
          {run?.result && (
            <div className={status === "stale" || status === "error" ? "nb-result-old" : undefined}>
              <ResultsGrid
                columns={run.result.columns}
                rows={run.result.rows}
                totalRows={run.result.totalRows}
                locale={p.locale}
              />
            </div>
          )}
        </>
      );
    }
  } else if (cell.kind === "markdown") {
    input = (
      <MarkdownCellBody
        text={p.text}
        label={label}
        editing={p.markdownEditing}
        canEdit={canEdit}
        onEdit={() => p.onEditMarkdown(true)}
        onDone={(mode) => {
          p.onEditMarkdown(false);
          p.onRun(mode);
        }}
      />
    );
  } else if (cell.kind === "input" && p.inputBody) {
    input = p.inputBody;
  } else if (cell.kind === "chart" && p.chart) {
    input = p.chart.editor;
    output = p.chart.view;
  } else {
    input = <p className="muted">{t("notebook.page.kindUnavailable")}</p>;
  }

  return (
    <div
      className="nb-cell-wrap"
      data-kind={cell.kind}
      data-present={p.here?.length ? "" : undefined}
      style={p.here?.length ? ({ "--nb-presence-color": p.here[0].color } as React.CSSProperties) : undefined}
    >
      <CellPresence peers={p.here ?? []} />
      <CellFrame
        id={cell.id}
        name={cell.kind === "sql" || cell.kind === "input" || cell.kind === "chart" ? cell.name : ""}
        kind={cell.kind}
        status={status}
        durationMs={state?.elapsedMs ?? undefined}
        rowCount={state?.rowCount ?? undefined}
        locale={p.locale}
        validateName={p.validateName}
        onRename={p.onRename}
        onKindChange={(kind) => {
          if (EDITABLE_KINDS.includes(kind)) p.onKindChange(kind);
        }}
        onRun={() => (cell.kind === "markdown" ? p.onEditMarkdown(false) : p.onRun("stay"))}
        onStop={cell.kind === "sql" ? p.onStop : undefined}
        onMoveUp={p.first ? undefined : () => p.onMove(-1)}
        onMoveDown={p.last ? undefined : () => p.onMove(1)}
        onDelete={p.onDelete}
        inputCollapsed={p.collapsed.input}
        outputCollapsed={p.collapsed.output}
        onToggleInput={() => p.onToggle("input")}
        onToggleOutput={() => p.onToggle("output")}
        readOnly={!canEdit}
        menu={cell.kind === "sql" || cell.kind === "chart" ? p.menu : undefined}
        input={input}
        output={output}
      />
    </div>
  );
}
