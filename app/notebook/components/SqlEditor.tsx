import { autocompletion, closeBrackets, closeBracketsKeymap, closeCompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { sql } from "@codemirror/lang-sql";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { Annotation, Compartment, EditorState, type Extension, Prec } from "@codemirror/state";
import { drawSelection, EditorView, keymap, lineNumbers, placeholder as placeholderExt } from "@codemirror/view";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import type { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import {
  DuckDBDialect,
  type EditorSchema,
  type SqlError,
  sameError,
  schemaToNamespace,
  setSqlError,
  sqlErrorExtension,
} from "./sql-editor-model.ts";

/** Shift+Enter runs the cell and moves on (`advance`); Ctrl/Cmd+Enter runs it and keeps the cursor here (`stay`). */
export type RunMode = "advance" | "stay";

export interface SqlEditorProps {
  /** Plain-string mode: the source. Ignored when `yText` is given. */
  value?: string;
  /** Every change of the text, local or (in collaborative mode) remote: either one makes the cell's result stale. */
  onChange?: (value: string) => void;
  /** Collaborative mode: the cell's `source` Y.Text is the document; edits go straight into it (and undo is per-user). */
  yText?: Y.Text;
  /** Remote cursors and selections in collaborative mode. */
  awareness?: Awareness;
  /** Completion: `{ "malaria.observations": [...columns], cell1: [...columns] }`. */
  schema?: EditorSchema;
  onRun?: (mode: RunMode) => void;
  /** DuckDB's error for this cell; its position is underlined and its message shown under the editor. */
  error?: SqlError | null;
  readOnly?: boolean;
  /** Accessible name of the editor, e.g. the cell's name. */
  label: string;
  placeholder?: string;
  /** Focus the editor once it is created (a newly added cell). */
  autoFocus?: boolean;
}

/** Marks transactions made to mirror the `value` prop, so they are not echoed back through `onChange`. */
const fromProps = Annotation.define<boolean>();

const theme = EditorView.theme({
  "&": { fontSize: "0.9rem", border: "1px solid var(--line, #d9dee7)", borderRadius: "6px", background: "var(--panel, #fff)" },
  "&.cm-focused": { outline: "3px solid var(--focus, #2563eb)", outlineOffset: "2px" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", minHeight: "2.5rem" },
  ".cm-gutters": { background: "transparent", border: "none", color: "var(--muted, #5b6577)" },
  ".nb-sql-error": { textDecoration: "underline wavy var(--danger, #b42318)", textUnderlineOffset: "3px" },
});

/**
 * The SQL cell editor (CodeMirror 6). The EditorView exists only in the browser: it is created in an effect, and until then
 * (and during server rendering) the source is shown as preformatted text, so the page reads the same before hydration.
 */
export function SqlEditor(props: SqlEditorProps) {
  const { yText, awareness, readOnly = false, schema, error, label, placeholder } = props;
  const { t } = useTranslation();
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const [ready, setReady] = useState(false);
  const errorId = useId();
  // Callbacks and latest props in refs: the view is created once and must always call the current ones.
  const latest = useRef(props);
  latest.current = props;
  const compartments = useRef({ readOnly: new Compartment(), language: new Compartment(), label: new Compartment() });
  const shownError = useRef<SqlError | null>(null);
  const hasError = !!error;
  // Shown beside cell names in the completion list; a ref so a language switch does not rebuild the editor.
  const cellDetail = useRef("");
  cellDetail.current = t("notebook.editor.cellDetail");

  // Create (and on unmount destroy) the view. Recreated only if the collaborative binding itself changes.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const c = compartments.current;
    const p = latest.current;
    const runKeys = Prec.highest(
      keymap.of([
        { key: "Shift-Enter", run: (view) => run(view, "advance") },
        { key: "Mod-Enter", run: (view) => run(view, "stay") },
      ]),
    );
    function run(view: EditorView, mode: RunMode): boolean {
      const onRun = latest.current.onRun;
      if (!onRun) return false;
      // Running is leaving the text: an open completion list would otherwise stay over the results.
      closeCompletion(view);
      onRun(mode);
      return true;
    }
    const undoManager = yText ? new Y.UndoManager(yText) : null;
    const collab: Extension = yText
      ? [yCollab(yText, awareness ?? null, { undoManager: undoManager ?? false }), keymap.of(yUndoManagerKeymap)]
      : [history(), keymap.of(historyKeymap)];
    const state = EditorState.create({
      doc: yText ? yText.toString() : (p.value ?? ""),
      extensions: [
        runKeys,
        collab,
        lineNumbers(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        autocompletion(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        // No indentWithTab: Tab must keep moving focus out of the editor for keyboard users.
        keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap]),
        c.language.of(
          sql({ dialect: DuckDBDialect, schema: schemaToNamespace(p.schema ?? {}, cellDetail.current), upperCaseKeywords: true }),
        ),
        c.readOnly.of(readOnlyExtension(p.readOnly ?? false)),
        c.label.of(labelExtension(p.label, p.error ? errorId : null, p.placeholder)),
        sqlErrorExtension(),
        EditorView.lineWrapping,
        theme,
        EditorView.updateListener.of((u) => {
          if (!u.docChanged || u.transactions.some((tr) => tr.annotation(fromProps))) return;
          latest.current.onChange?.(u.state.doc.toString());
        }),
      ],
    });
    const view = new EditorView({ state, parent: host });
    viewRef.current = view;
    // A recreated view starts clean: show the current error now (the error effect only runs when the error changes).
    shownError.current = p.error ?? null;
    if (p.error) view.dispatch({ effects: setSqlError.of(p.error) });
    setReady(true);
    if (p.autoFocus) view.focus();
    return () => {
      view.destroy();
      undoManager?.destroy();
      viewRef.current = null;
      setReady(false);
    };
  }, [yText, awareness, errorId]);

  // The effects below run after the creation effect above (declaration order), and creation reads the latest props, so
  // none of them needs to wait for `ready`.

  // Mirror an outside change of `value` (another cell renamed a reference, a reload) into the editor.
  useEffect(() => {
    const view = viewRef.current;
    if (!view || yText || props.value === undefined) return;
    const current = view.state.doc.toString();
    if (current !== props.value) {
      view.dispatch({ changes: { from: 0, to: current.length, insert: props.value }, annotations: fromProps.of(true) });
    }
  }, [props.value, yText]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: compartments.current.readOnly.reconfigure(readOnlyExtension(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    const language = sql({
      dialect: DuckDBDialect,
      schema: schemaToNamespace(schema ?? {}, cellDetail.current),
      upperCaseKeywords: true,
    });
    viewRef.current?.dispatch({ effects: compartments.current.language.reconfigure(language) });
  }, [schema]);

  useEffect(() => {
    const ext = labelExtension(label, hasError ? errorId : null, placeholder);
    viewRef.current?.dispatch({ effects: compartments.current.label.reconfigure(ext) });
  }, [label, placeholder, errorId, hasError]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view || sameError(shownError.current, error)) return;
    shownError.current = error ?? null;
    view.dispatch({ effects: setSqlError.of(error ?? null) });
  }, [error]);

  const fallbackText = yText ? yText.toString() : (props.value ?? "");
  return (
    <div className="nb-sql-editor">
      <div ref={hostRef} className="nb-sql-host" />
      {!ready && <pre className="nb-sql-fallback">{fallbackText || placeholder || " "}</pre>}
      {error ? (
        <p id={errorId} className="nb-sql-error-message" role="alert">
          <span className="visually-hidden">{t("notebook.editor.errorPrefix")} </span>
          {error.message}
        </p>
      ) : null}
    </div>
  );
}

function readOnlyExtension(readOnly: boolean): Extension {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];
}

function labelExtension(label: string, errorId: string | null, placeholder?: string): Extension {
  const attrs: Record<string, string> = { "aria-label": label, "aria-multiline": "true" };
  if (errorId) attrs["aria-describedby"] = errorId;
  return [EditorView.contentAttributes.of(attrs), placeholder ? placeholderExt(placeholder) : []];
}
