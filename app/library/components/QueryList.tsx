import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "~/components/empty-state";
import type { QuerySummary } from "../types.ts";
import { QueryBadges } from "./QueryBadges.tsx";

export interface QueryFilters {
  q: string;
  tag: string;
  dataset: string;
  author: string;
  certified: boolean;
  archived: boolean;
}

export function filtersFrom(params: URLSearchParams): QueryFilters {
  const text = (name: string) => (params.get(name) ?? "").slice(0, 200);
  return {
    q: text("q"),
    tag: text("tag"),
    dataset: text("dataset"),
    author: text("author"),
    certified: params.get("certified") === "1",
    archived: params.get("archived") === "1",
  };
}

/** Browse and search the library: filters (a GET form, so results are linkable), then the matching queries. */
export function QueryList(props: { queries: QuerySummary[]; filters: QueryFilters; canCreate: boolean }) {
  const { queries, filters, canCreate } = props;
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" });
  const filtered = Boolean(
    filters.q || filters.tag || filters.dataset || filters.author || filters.certified || filters.archived,
  );
  return (
    <>
      <div className="page-head">
        <h1>{t("nav.queries")}</h1>
        {canCreate && (
          <Link to="/queries/new" className="button primary">
            {t("queries.new")}
          </Link>
        )}
      </div>
      <Form method="get" className="query-filters" role="search">
        <label>
          {t("queries.filters.search")}
          <input type="search" name="q" defaultValue={filters.q} />
        </label>
        <label>
          {t("queries.filters.tag")}
          <input name="tag" defaultValue={filters.tag} />
        </label>
        <label>
          {t("queries.filters.dataset")}
          <input name="dataset" defaultValue={filters.dataset} />
        </label>
        <label>
          {t("queries.filters.author")}
          <input name="author" defaultValue={filters.author} />
        </label>
        <label className="choice">
          <input type="checkbox" name="certified" value="1" defaultChecked={filters.certified} />
          {t("queries.filters.certified")}
        </label>
        <label className="choice">
          <input type="checkbox" name="archived" value="1" defaultChecked={filters.archived} />
          {t("queries.filters.archived")}
        </label>
        <button type="submit" className="button">
          {t("queries.filters.apply")}
        </button>
      </Form>
      {queries.length === 0 ? (
        filtered ? (
          <EmptyState title={t("queries.empty.noMatchTitle")} body={t("queries.empty.noMatchBody")}>
            <Link to="/queries" className="button">
              {t("queries.filters.clear")}
            </Link>
          </EmptyState>
        ) : (
          <EmptyState title={t("queries.empty.title")} body={t("queries.empty.body")}>
            {canCreate && (
              <Link to="/queries/new" className="button primary">
                {t("queries.new")}
              </Link>
            )}
          </EmptyState>
        )
      ) : (
        <div className="table-scroll">
          <table className="data-table query-list">
            <thead>
              <tr>
                <th scope="col">{t("queries.list.name")}</th>
                <th scope="col">{t("queries.list.tags")}</th>
                <th scope="col">{t("queries.list.datasets")}</th>
                <th scope="col">{t("queries.list.owner")}</th>
                <th scope="col">{t("queries.list.version")}</th>
                <th scope="col">{t("queries.list.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {queries.map((q) => (
                <tr key={q.id}>
                  <td>
                    <Link to={`/queries/${q.id}`}>{q.name}</Link>{" "}
                    <QueryBadges certifiedVersion={q.certifiedVersion} archived={q.archived} />
                    {q.description && <div className="muted">{q.description}</div>}
                  </td>
                  <td>{q.tags.join(", ")}</td>
                  <td>{q.datasets.join(", ")}</td>
                  <td>{q.owner.name}</td>
                  <td>v{q.latestVersion}</td>
                  <td>{date.format(new Date(q.updatedAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
