import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export interface NotebookHeaderProps {
  id: string;
  title: string;
  archived: boolean;
  canEdit: boolean;
  canManage: boolean;
  canDuplicate: boolean;
  readOnlyReason: "viewer" | "archived" | null;
  titleError: string | null;
  /** Who is here (rendered beside the actions). */
  presence?: React.ReactNode;
}

/** Title (renamed in place), duplicate, archive/unarchive: plain forms posting to the notebook route's action. */
export function NotebookHeader(p: NotebookHeaderProps) {
  const { t } = useTranslation();
  return (
    <header className="nb-page-head">
      <p className="breadcrumbs">
        <Link to="/notebooks">{t("nav.notebooks")}</Link>
      </p>
      <div className="page-head">
        <h1 className="nb-title">{p.title}</h1>
        <div className="row-actions">
          {p.presence}
          <Link to={`/notebooks/${p.id}/history`} className="button" preventScrollReset>
            {t("notebook.history.open")}
          </Link>
          {p.canManage && (
            <Link to={`/notebooks/${p.id}/share`} className="button" preventScrollReset>
              {t("notebook.sharing.open")}
            </Link>
          )}
          {p.canEdit && (
            <Link to={`/notebooks/${p.id}/publish`} className="button" preventScrollReset>
              {t("reports.publishLink")}
            </Link>
          )}
          {p.canDuplicate && (
            <Form method="post">
              <input type="hidden" name="id" value={p.id} />
              <input type="hidden" name="title" value={t("notebooks.copyOf", { title: p.title })} />
              <button type="submit" name="intent" value="duplicate" className="button">
                {t("notebooks.actions.duplicate")}
              </button>
            </Form>
          )}
          {p.canManage && (
            <Form method="post">
              <input type="hidden" name="id" value={p.id} />
              <button type="submit" name="intent" value={p.archived ? "unarchive" : "archive"} className="button">
                {p.archived ? t("notebooks.actions.unarchive") : t("notebooks.actions.archive")}
              </button>
            </Form>
          )}
        </div>
      </div>
      {p.canEdit && (
        <details className="nb-rename">
          <summary>{t("notebooks.actions.rename")}</summary>
          <Form method="post" className="row-form">
            <input type="hidden" name="id" value={p.id} />
            <label className="visually-hidden" htmlFor="nb-title-field">
              {t("notebooks.create.titleLabel")}
            </label>
            <input id="nb-title-field" name="title" defaultValue={p.title} maxLength={120} required />
            <button type="submit" name="intent" value="rename" className="button primary">
              {t("notebooks.actions.saveTitle")}
            </button>
          </Form>
          {p.titleError && (
            <p className="form-error" role="alert">
              {p.titleError}
            </p>
          )}
        </details>
      )}
      {p.readOnlyReason === "archived" && <p className="notice warning">{t("notebook.page.archivedNotice")}</p>}
      {p.readOnlyReason === "viewer" && <p className="notice">{t("notebook.page.viewerNotice")}</p>}
    </header>
  );
}
