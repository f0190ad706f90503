import { Form, Link } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "~/components/empty-state";
import type { ListQuery } from "../list-query.ts";

export interface NotebookListItem {
  id: string;
  title: string;
  ownerName: string;
  mine: boolean;
  updatedAt: string;
  canManage: boolean;
}

export function NotebookList(props: { notebooks: NotebookListItem[]; query: ListQuery; canCreate: boolean }) {
  const { notebooks, query, canCreate } = props;
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const filtered = query.search !== "" || query.owner !== "all" || query.archived;

  return (
    <>
      <div className="page-head">
        <h1>{t("nav.notebooks")}</h1>
        {canCreate && (notebooks.length > 0 || filtered) && <CreateForm />}
      </div>
      <Form method="get" className="nb-list-filters" role="search">
        <label>
          {t("notebooks.list.search")}
          <input type="search" name="q" defaultValue={query.search} placeholder={t("notebooks.list.searchPlaceholder")} />
        </label>
        <label>
          {t("notebooks.list.owner")}
          <select name="owner" defaultValue={query.owner}>
            <option value="all">{t("notebooks.list.ownerAll")}</option>
            <option value="mine">{t("notebooks.list.ownerMine")}</option>
            <option value="shared">{t("notebooks.list.ownerShared")}</option>
          </select>
        </label>
        <label className="choice">
          <input type="checkbox" name="archived" value="1" defaultChecked={query.archived} />
          {t("notebooks.list.showArchived")}
        </label>
        <button type="submit" className="button">
          {t("notebooks.list.apply")}
        </button>
      </Form>

      {notebooks.length === 0 ? (
        filtered ? (
          <EmptyState title={t("notebooks.empty.noMatchTitle")} body={t("notebooks.empty.noMatchBody")}>
            <Link to="/notebooks" className="button">
              {t("notebooks.list.clearFilters")}
            </Link>
          </EmptyState>
        ) : (
          <EmptyState
            title={t("notebooks.empty.title")}
            body={canCreate ? t("notebooks.empty.bodyCreate") : t("notebooks.empty.bodyViewer")}
          >
            {canCreate && <CreateForm />}
          </EmptyState>
        )
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("notebooks.list.title")}</th>
                <th scope="col">{t("notebooks.list.ownerColumn")}</th>
                <th scope="col">{t("notebooks.list.updated")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("notebooks.list.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {notebooks.map((n) => (
                <tr key={n.id}>
                  <td>
                    <Link to={`/notebooks/${n.id}`}>{n.title}</Link>
                  </td>
                  <td>{n.mine ? t("notebooks.list.you") : n.ownerName}</td>
                  <td>{date.format(new Date(n.updatedAt))}</td>
                  <td>
                    {n.canManage && (
                      <Form method="post" className="row-form">
                        <input type="hidden" name="id" value={n.id} />
                        <input type="hidden" name="back" value="list" />
                        <button
                          type="submit"
                          name="intent"
                          value={query.archived ? "unarchive" : "archive"}
                          className="button"
                          aria-label={
                            query.archived
                              ? t("notebooks.list.unarchiveNamed", { title: n.title })
                              : t("notebooks.list.archiveNamed", { title: n.title })
                          }
                        >
                          {query.archived ? t("notebooks.actions.unarchive") : t("notebooks.actions.archive")}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function CreateForm() {
  const { t } = useTranslation();
  const fieldId = useId();
  return (
    <Form method="post" className="row-form">
      <input type="hidden" name="defaultTitle" value={t("notebooks.untitled")} />
      <label className="visually-hidden" htmlFor={fieldId}>
        {t("notebooks.create.titleLabel")}
      </label>
      <input id={fieldId} name="title" placeholder={t("notebooks.untitled")} maxLength={120} />
      <button type="submit" name="intent" value="create" className="button primary">
        {t("notebooks.create.submit")}
      </button>
    </Form>
  );
}
