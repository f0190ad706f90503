/**
 * The body of a linked cell: which library query and version it runs (with the certified badge), a notice when a newer
 * version exists with a one-click Update (and Undo right after), Unlink into an ordinary cell, and the version's SQL
 * read-only. A query the reader may not see says so, and the cell does not run.
 */
import "./library.css";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { type RunMode, SqlEditor, type SqlError } from "../../../notebook/components/index.ts";
import { type LinkState, setLinkedVersion, unlinkCell } from "../../client/library-links.ts";
import { queryPageUrl } from "./library-api.ts";

export interface LinkedCellBodyProps {
  state: LinkState;
  /** The cell's accessible name. */
  label: string;
  /** The last run's error (underlined in the SQL). */
  error: SqlError | null;
  canEdit: boolean;
  onRun: (mode: RunMode) => void;
  onUpdate: (version: number) => void;
  /** Turns the cell into an ordinary SQL cell with this SQL. */
  onUnlink: (sql: string) => void;
  onRetry: () => void;
}

export function LinkedCellBody(p: LinkedCellBodyProps) {
  const { t } = useTranslation();
  const { state } = p;
  // The version the last Update came from, offered back as Undo while the cell still shows the updated version.
  const [updated, setUpdated] = useState<{ from: number; to: number } | null>(null);

  if (state.status !== "ready") {
    const message =
      state.status === "invalid"
        ? t("notebook.library.linked.invalid")
        : state.status === "loading"
          ? t("notebook.library.linked.loading")
          : state.status === "unavailable"
            ? t("notebook.library.linked.unavailable")
            : t("notebook.library.linked.failed", { message: state.message });
    return (
      <div className="nb-linked" data-link-status={state.status}>
        <p className="nb-linked-head">
          <span className="nb-linked-kind">{t("notebook.library.linked.kind")}</span>
          {state.status !== "invalid" && state.status !== "loading" && (
            <span className="badge">{t("notebook.library.version", { version: state.link.version })}</span>
          )}
        </p>
        <p className={state.status === "loading" ? "muted" : "form-error"} role={state.status === "loading" ? "status" : "alert"}>
          {message}
        </p>
        <div className="row-actions">
          {state.status === "failed" && (
            <button type="button" className="button nb-small" onClick={p.onRetry}>
              {t("notebook.library.linked.retry")}
            </button>
          )}
          {state.status === "invalid" && p.canEdit && (
            <button type="button" className="button nb-small" onClick={() => p.onUnlink("")}>
              {t("notebook.library.linked.unlink")}
            </button>
          )}
        </div>
      </div>
    );
  }

  const { query, link } = state;
  const certified = state.certifiedVersion === link.version;
  const newer = state.latestVersion > link.version ? state.latestVersion : null;
  return (
    <div className="nb-linked" data-link-status="ready">
      <div className="nb-linked-head">
        <span className="nb-linked-kind">{t("notebook.library.linked.kind")}</span>
        <a className="nb-linked-name" href={queryPageUrl(link.queryId)}>
          {query.name}
        </a>
        <span className="badge nb-linked-version">{t("notebook.library.version", { version: link.version })}</span>
        {certified && <span className="badge nb-library-certified">{t("notebook.library.certifiedBadge")}</span>}
        {state.archived && <span className="badge nb-linked-archived">{t("notebook.library.linked.archived")}</span>}
        {p.canEdit && (
          <button type="button" className="button nb-small" onClick={() => p.onUnlink(query.sql)}>
            {t("notebook.library.linked.unlink")}
          </button>
        )}
      </div>
      {newer !== null && (
        <output className="nb-linked-newer">
          {state.certifiedVersion === newer
            ? t("notebook.library.linked.newerCertified", { version: newer })
            : t("notebook.library.linked.newer", { version: newer })}
          {p.canEdit && (
            <button
              type="button"
              className="button nb-small primary"
              onClick={() => {
                setUpdated({ from: link.version, to: newer });
                p.onUpdate(newer);
              }}
            >
              {t("notebook.library.linked.update", { version: newer })}
            </button>
          )}
        </output>
      )}
      {updated && updated.to === link.version && p.canEdit && (
        <output className="nb-linked-updated">
          {t("notebook.library.linked.updated", { from: updated.from, to: updated.to })}
          <button
            type="button"
            className="button nb-small"
            onClick={() => {
              p.onUpdate(updated.from);
              setUpdated(null);
            }}
          >
            {t("notebook.library.linked.undo")}
          </button>
        </output>
      )}
      <SqlEditor value={query.sql} readOnly label={p.label} error={p.error} onRun={p.onRun} />
    </div>
  );
}

/** NotebookCell's `linked` renderer for a linked cell of `doc`: Update and Unlink write to the shared document. */
export function linkedCellRenderer(
  doc: Y.Doc,
  cellId: string,
  state: LinkState | undefined,
  options: { canEdit: boolean; onRetry: () => void },
) {
  if (!state) return undefined;
  return (editor: { label: string; error: SqlError | null; onRun: (mode: RunMode) => void }) => (
    <LinkedCellBody
      state={state}
      {...editor}
      {...options}
      onUpdate={(version) => setLinkedVersion(doc, cellId, version)}
      onUnlink={(sql) => unlinkCell(doc, cellId, sql)}
    />
  );
}
