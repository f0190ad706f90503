/**
 * "Save to library" for a SQL cell: name (the cell's by default), description, tags, who sees it (with the group when
 * it is a group's), a version message, and the parameters — the notebook inputs the SQL binds as `$name`, found by
 * DuckDB's tokenizer and saved with their full definitions. Once saved it offers to replace the cell by a linked cell.
 */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { InputDefinition } from "../../../../kernel/parameters/index.ts";
import type { QueryVisibility } from "../../../library/types.ts";
import { type CellLink, referencedInputs } from "../../client/library-links.ts";
import { LibraryDialog } from "./LibraryDialog.tsx";
import { createQuery, LibraryError, myGroups, queryPageUrl } from "./library-api.ts";

export interface SaveToLibraryDialogProps {
  cell: { name: string; source: string };
  /** The notebook's input definitions (parameters are taken from these). */
  inputs: readonly InputDefinition[];
  /** `$names` in the SQL, by DuckDB's own tokenizer (the engine starts if needed). */
  analyze: (sql: string) => Promise<{ parameters: string[] }>;
  /** Given when the reader may edit the notebook: replaces the cell by a linked cell. */
  onReplace?: (link: CellLink) => void;
  onClose: () => void;
}

type Detected =
  | { status: "working" }
  | { status: "done"; parameters: InputDefinition[]; unknown: string[] }
  | { status: "failed"; message: string };

export function SaveToLibraryDialog(p: SaveToLibraryDialogProps) {
  const { t } = useTranslation();
  const ids = useId();
  const sql = p.cell.source.trim();
  const [name, setName] = useState(p.cell.name);
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const [visibility, setVisibility] = useState<QueryVisibility>("private");
  const [groups, setGroups] = useState<{ id: string; name: string }[] | null>(null);
  const [groupsError, setGroupsError] = useState<string | null>(null);
  const [groupId, setGroupId] = useState("");
  const [message, setMessage] = useState("");
  const [detected, setDetected] = useState<Detected>({ status: "working" });
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; field: string | null } | null>(null);
  const [saved, setSaved] = useState<{ id: string; version: number } | null>(null);
  const savedRef = useRef<HTMLOutputElement>(null);

  const { analyze, inputs } = p;
  useEffect(() => {
    let live = true;
    if (!sql) return;
    analyze(sql)
      .then((analysis) => live && setDetected({ status: "done", ...referencedInputs(analysis.parameters, inputs) }))
      .catch(
        (error) => live && setDetected({ status: "failed", message: error instanceof Error ? error.message : String(error) }),
      );
    return () => {
      live = false;
    };
  }, [sql, analyze, inputs]);

  useEffect(() => {
    if (visibility !== "group" || groups) return;
    myGroups()
      .then((list) => {
        setGroups(list);
        setGroupId((current) => current || (list[0]?.id ?? ""));
      })
      .catch((error) => setGroupsError(error instanceof Error ? error.message : String(error)));
  }, [visibility, groups]);

  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (busy || detected.status === "working") return;
    setBusy(true);
    setRefusal(null);
    try {
      const result = await createQuery({
        name,
        description,
        tags: tags
          .split(",")
          .map((tag) => tag.trim())
          .filter(Boolean),
        visibility,
        ...(visibility === "group" ? { groupId } : {}),
        sql,
        parameters: detected.status === "done" ? detected.parameters : [],
        message,
      });
      setSaved(result);
    } catch (error) {
      setRefusal({
        message: error instanceof Error ? error.message : String(error),
        field: error instanceof LibraryError ? error.field : null,
      });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) =>
    refusal?.field === field ? (
      <span id={`${ids}-${field}-error`} className="form-error" role="alert">
        {refusal.message}
      </span>
    ) : null;
  const describedBy = (field: string) => (refusal?.field === field ? `${ids}-${field}-error` : undefined);
  const visibilityLabels: Record<QueryVisibility, string> = {
    private: t("notebook.library.visibility.private"),
    group: t("notebook.library.visibility.group"),
    workspace: t("notebook.library.visibility.workspace"),
  };

  if (saved) {
    return (
      <LibraryDialog title={t("notebook.library.save.title")} onClose={p.onClose}>
        <div className="stack">
          <output ref={savedRef} tabIndex={-1} className="notice">
            {t("notebook.library.save.saved", { name, version: saved.version })}{" "}
            <a href={queryPageUrl(saved.id)}>{t("notebook.library.openInLibrary")}</a>
          </output>
          {p.onReplace && <p>{t("notebook.library.save.replaceHelp")}</p>}
          <div className="row-actions">
            {p.onReplace && (
              <button
                type="button"
                className="button primary"
                onClick={() => {
                  p.onReplace?.({ queryId: saved.id, version: saved.version });
                  p.onClose();
                }}
              >
                {t("notebook.library.save.replace")}
              </button>
            )}
            <button type="button" className="button" onClick={p.onClose}>
              {t("notebook.library.save.keep")}
            </button>
          </div>
        </div>
      </LibraryDialog>
    );
  }

  return (
    <LibraryDialog title={t("notebook.library.save.title")} onClose={p.onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        {!sql && <p className="form-error">{t("notebook.library.save.emptySql")}</p>}
        <label>
          {t("notebook.library.save.name")}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={120}
            required
            aria-invalid={refusal?.field === "name" || undefined}
            aria-describedby={describedBy("name")}
          />
          {fieldError("name")}
        </label>
        <label>
          {t("notebook.library.save.description")}
          <textarea
            value={description}
            rows={3}
            onChange={(e) => setDescription(e.target.value)}
            aria-describedby={describedBy("description")}
          />
          {fieldError("description")}
        </label>
        <label>
          {t("notebook.library.save.tags")}
          <input
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            placeholder={t("notebook.library.save.tagsPlaceholder")}
            aria-describedby={describedBy("tags")}
          />
          {fieldError("tags")}
        </label>
        <fieldset className="nb-library-visibility">
          <legend>{t("notebook.library.save.visibility")}</legend>
          {(Object.keys(visibilityLabels) as QueryVisibility[]).map((v) => (
            <label key={v} className="choice">
              <input
                type="radio"
                name={`${ids}-visibility`}
                value={v}
                checked={visibility === v}
                onChange={() => setVisibility(v)}
              />
              {visibilityLabels[v]}
            </label>
          ))}
          {visibility === "group" &&
            (groupsError ? (
              <p className="form-error">{t("notebook.library.save.groupsFailed", { message: groupsError })}</p>
            ) : !groups ? (
              <p className="muted">{t("notebook.library.loading")}</p>
            ) : groups.length === 0 ? (
              <p className="form-error">{t("notebook.library.save.noGroups")}</p>
            ) : (
              <label>
                {t("notebook.library.save.group")}
                <select value={groupId} onChange={(e) => setGroupId(e.target.value)} aria-describedby={describedBy("groupId")}>
                  {groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          {fieldError("groupId")}
          {fieldError("visibility")}
        </fieldset>
        <label>
          {t("notebook.library.save.message")}
          <input
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder={t("notebook.library.save.messagePlaceholder")}
            maxLength={500}
            aria-describedby={describedBy("message")}
          />
          {fieldError("message")}
        </label>
        <section aria-labelledby={`${ids}-params`} className="nb-library-params">
          <h3 id={`${ids}-params`}>{t("notebook.library.save.parameters")}</h3>
          {!sql ? null : detected.status === "working" ? (
            <output className="muted nb-dialog-status">{t("notebook.library.save.detecting")}</output>
          ) : detected.status === "failed" ? (
            <p className="form-error" role="alert">
              {t("notebook.library.save.detectFailed", { message: detected.message })}
            </p>
          ) : (
            <>
              {detected.parameters.length === 0 ? (
                <p className="muted">{t("notebook.library.save.noParameters")}</p>
              ) : (
                <ul>
                  {detected.parameters.map((def) => (
                    <li key={def.name}>
                      <code>${def.name}</code> — {t("notebook.library.save.parameter", { type: def.type })}
                      {def.default !== undefined && (
                        <span className="muted">
                          {" "}
                          ({t("notebook.library.save.default", { value: JSON.stringify(def.default) })})
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {detected.unknown.length > 0 && (
                <p className="form-error">
                  {t("notebook.library.save.unknownParameters", { names: detected.unknown.map((n) => `$${n}`).join(", ") })}
                </p>
              )}
            </>
          )}
          {fieldError("parameters")}
          {fieldError("sql")}
        </section>
        {refusal &&
          !["name", "description", "tags", "groupId", "visibility", "message", "parameters", "sql"].includes(
            refusal.field ?? "",
          ) && (
            <p className="form-error" role="alert">
              {t("notebook.library.save.failed", { message: refusal.message })}
            </p>
          )}
        <div className="row-actions">
          <button type="submit" className="button primary" disabled={!sql || busy || detected.status === "working"}>
            {busy ? t("notebook.library.save.saving") : t("notebook.library.save.submit")}
          </button>
          <button type="button" className="button" onClick={p.onClose}>
            {t("notebook.library.cancel")}
          </button>
        </div>
      </form>
    </LibraryDialog>
  );
}
