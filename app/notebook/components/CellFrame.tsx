import { type ReactNode, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { CellFormatter, formatDuration } from "./format.ts";

export type CellKind = "sql" | "markdown" | "chart" | "input";
export type CellStatus = "idle" | "queued" | "running" | "done" | "error" | "stale";

export interface CellFrameProps {
  id: string;
  name: string;
  kind: CellKind;
  status: CellStatus;
  /** Time the last run took. */
  durationMs?: number;
  /** Rows in the last result (the full count, not the displayed cap). */
  rowCount?: number;
  locale: string;
  /** Returns a message (already translated) when `name` is not acceptable — empty, not an identifier, taken — else null. */
  validateName: (name: string) => string | null;
  onRename: (name: string) => void;
  onKindChange: (kind: CellKind) => void;
  onRun: () => void;
  /** Given while queued or running: the run button becomes "stop". */
  onStop?: () => void;
  /** Omitted for the first/last cell: the button is then disabled. */
  onMoveUp?: () => void;
  onMoveDown?: () => void;
  onDelete: () => void;
  inputCollapsed: boolean;
  outputCollapsed: boolean;
  onToggleInput: () => void;
  onToggleOutput: () => void;
  /** Viewers: no renaming, kind change, moving or deleting. Running stays (results are computed in each reader's tab). */
  readOnly?: boolean;
  input: ReactNode;
  output?: ReactNode;
  /** Extra controls in the cell's bar (SQL cells: the export menu). */
  menu?: ReactNode;
}

/** The chrome around one notebook cell: name, kind, status, actions, and the collapsible input and output. */
export function CellFrame(props: CellFrameProps) {
  const { id, name, kind, status, readOnly = false, inputCollapsed, outputCollapsed } = props;
  const { t } = useTranslation();
  const uid = useId();
  const inputId = `${uid}-input`;
  const outputId = `${uid}-output`;
  const busy = status === "queued" || status === "running";

  // Literal keys only (the catalog test scans the keys passed to t), hence maps rather than a key built from `kind`.
  const kindLabels: Record<CellKind, string> = {
    sql: t("notebook.cell.kind.sql"),
    markdown: t("notebook.cell.kind.markdown"),
    chart: t("notebook.cell.kind.chart"),
    input: t("notebook.cell.kind.input"),
  };

  return (
    <section className={`nb-cell nb-cell-${status}`} aria-label={t("notebook.cell.label", { name })} data-cell-id={id}>
      <header className="nb-cell-bar">
        <CellName name={name} readOnly={readOnly} validate={props.validateName} onRename={props.onRename} />
        {readOnly ? (
          <span className="nb-cell-kind">{kindLabels[kind]}</span>
        ) : (
          <label className="nb-cell-kind">
            <span className="visually-hidden">{t("notebook.cell.kindLabel")}</span>
            <select value={kind} onChange={(e) => props.onKindChange(e.target.value as CellKind)}>
              {(Object.keys(kindLabels) as CellKind[]).map((k) => (
                <option key={k} value={k}>
                  {kindLabels[k]}
                </option>
              ))}
            </select>
          </label>
        )}
        <StatusBadge status={status} durationMs={props.durationMs} rowCount={props.rowCount} locale={props.locale} />
        {props.menu}
        <div className="nb-cell-actions">
          {busy && props.onStop ? (
            <IconButton label={t("notebook.cell.stop")} glyph="■" onClick={props.onStop} />
          ) : (
            <IconButton label={t("notebook.cell.run")} glyph="▶" onClick={props.onRun} shortcut="Shift+Enter" />
          )}
          <IconButton
            label={inputCollapsed ? t("notebook.cell.showInput") : t("notebook.cell.hideInput")}
            glyph={inputCollapsed ? "⌄" : "⌃"}
            onClick={props.onToggleInput}
            expanded={!inputCollapsed}
            controls={inputId}
          />
          <IconButton
            label={outputCollapsed ? t("notebook.cell.showOutput") : t("notebook.cell.hideOutput")}
            glyph={outputCollapsed ? "▸" : "▾"}
            onClick={props.onToggleOutput}
            expanded={!outputCollapsed}
            controls={outputId}
          />
          {!readOnly && (
            <>
              <IconButton label={t("notebook.cell.moveUp")} glyph="↑" onClick={props.onMoveUp} shortcut="Alt+ArrowUp" />
              <IconButton label={t("notebook.cell.moveDown")} glyph="↓" onClick={props.onMoveDown} shortcut="Alt+ArrowDown" />
              <IconButton label={t("notebook.cell.delete")} glyph="✕" onClick={props.onDelete} danger />
            </>
          )}
        </div>
      </header>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: delegates Alt+Arrow from the editor inside; the move buttons are the primary path */}
      <div
        id={inputId}
        className="nb-cell-input"
        hidden={inputCollapsed}
        onKeyDown={(e) => {
          // Alt+Arrow moves the cell from anywhere inside it (the buttons are the pointer path).
          if (readOnly || !e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
          const move = e.key === "ArrowUp" ? props.onMoveUp : e.key === "ArrowDown" ? props.onMoveDown : undefined;
          if (!move) return;
          e.preventDefault();
          move();
        }}
      >
        {props.input}
      </div>
      {inputCollapsed && (
        <button
          type="button"
          className="nb-cell-collapsed"
          onClick={props.onToggleInput}
          aria-controls={inputId}
          aria-expanded={false}
        >
          {t("notebook.cell.inputHidden")}
        </button>
      )}
      {props.output !== undefined && (
        <div id={outputId} className="nb-cell-output" hidden={outputCollapsed}>
          {props.output}
        </div>
      )}
      {props.output !== undefined && outputCollapsed && (
        <button
          type="button"
          className="nb-cell-collapsed"
          onClick={props.onToggleOutput}
          aria-controls={outputId}
          aria-expanded={false}
        >
          {t("notebook.cell.outputHidden")}
        </button>
      )}
    </section>
  );
}

function IconButton(p: {
  label: string;
  glyph: string;
  onClick?: () => void;
  shortcut?: string;
  expanded?: boolean;
  controls?: string;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={`button nb-icon-button${p.danger ? " nb-danger" : ""}`}
      aria-label={p.label}
      title={p.label}
      onClick={p.onClick}
      disabled={!p.onClick}
      aria-keyshortcuts={p.shortcut}
      aria-expanded={p.expanded}
      aria-controls={p.controls}
    >
      <span aria-hidden="true">{p.glyph}</span>
    </button>
  );
}

/** The name, edited in place: validated as typed, committed on Enter or leaving the field, reverted by Escape. */
function CellName(p: {
  name: string;
  readOnly: boolean;
  validate: (name: string) => string | null;
  onRename: (name: string) => void;
}) {
  const { t } = useTranslation();
  const fieldId = useId();
  const [draft, setDraft] = useState(p.name);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Follow renames made elsewhere (another user, an undo) unless the field is being edited.
  useEffect(() => {
    if (!editing) setDraft(p.name);
  }, [p.name, editing]);

  if (p.readOnly) return <span className="nb-cell-name">{p.name}</span>;

  const commit = (): boolean => {
    const next = draft.trim();
    if (next === p.name) {
      setProblem(null);
      return true;
    }
    const message = p.validate(next);
    setProblem(message);
    if (message) return false;
    p.onRename(next);
    return true;
  };
  const revert = () => {
    setDraft(p.name);
    setProblem(null);
  };

  return (
    <div className="nb-cell-name">
      <label htmlFor={fieldId} className="visually-hidden">
        {t("notebook.cell.nameLabel")}
      </label>
      <input
        id={fieldId}
        value={draft}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${fieldId}-problem` : undefined}
        onFocus={() => setEditing(true)}
        onChange={(e) => {
          setDraft(e.target.value);
          const next = e.target.value.trim();
          setProblem(next === p.name ? null : p.validate(next));
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            if (commit()) e.currentTarget.blur();
          } else if (e.key === "Escape") {
            e.preventDefault();
            revert();
            e.currentTarget.blur();
          }
        }}
        onBlur={() => {
          // Leaving with an unacceptable name keeps the old one rather than a half-typed invalid one.
          if (!commit()) revert();
          setEditing(false);
        }}
      />
      {problem && (
        <span id={`${fieldId}-problem`} className="nb-cell-name-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}

function StatusBadge(p: { status: CellStatus; durationMs?: number; rowCount?: number; locale: string }) {
  const { t } = useTranslation();
  const labels: Record<CellStatus, string> = {
    idle: t("notebook.cell.status.idle"),
    queued: t("notebook.cell.status.queued"),
    running: t("notebook.cell.status.running"),
    done: t("notebook.cell.status.done"),
    error: t("notebook.cell.status.error"),
    stale: t("notebook.cell.status.stale"),
  };
  const parts = [labels[p.status]];
  const finished = p.status === "done" || p.status === "error" || p.status === "stale";
  if (finished && p.durationMs !== undefined) parts.push(formatDuration(p.durationMs, p.locale));
  if ((p.status === "done" || p.status === "stale") && p.rowCount !== undefined) {
    parts.push(t("notebook.cell.rows", { count: p.rowCount, n: new CellFormatter(p.locale).count(p.rowCount) }));
  }
  return (
    <output className={`nb-status nb-status-${p.status}`} aria-live="polite">
      {parts.join(" · ")}
    </output>
  );
}
