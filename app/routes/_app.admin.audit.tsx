import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { auditActions, auditPage, parseAuditFilter } from "~/access/audit-query.server";
import { requireRole } from "~/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Harmony" }];

/** The audit log, newest first: filter by action (exact or family: "grant"), actor email, UTC date range; 50 a page. */
export function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(request, context, ["admin"]);
  const url = new URL(request.url);
  const filter = parseAuditFilter(url.searchParams);
  const db = context.services.database.db;
  const { rows, hasMore } = auditPage(db, filter);
  const query = new URLSearchParams();
  for (const key of ["action", "actor", "from", "to"] as const) if (filter[key]) query.set(key, filter[key] as string);
  return {
    filter,
    query: query.toString(),
    actions: auditActions(db),
    hasMore,
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actorEmail,
      action: r.action,
      target: r.target,
      detail: r.detail ? JSON.stringify(r.detail) : "",
      ip: r.ip,
    })),
  };
}

export default function AdminAudit() {
  const { filter, query, actions, rows, hasMore } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
  const pageLink = (page: number) => `?${[query, `page=${page}`].filter(Boolean).join("&")}`;
  return (
    <>
      <div className="page-head">
        <h1>{t("access.audit.title")}</h1>
        <a className="button" href={`/admin/audit.csv${query ? `?${query}` : ""}`} download>
          {t("access.audit.csv")}
        </a>
      </div>
      <Form method="get" className="inline-form">
        <label>
          {t("access.audit.action")}
          <input name="action" list="audit-actions" defaultValue={filter.action ?? ""} maxLength={100} />
          <datalist id="audit-actions">
            {actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          {t("access.audit.actor")}
          <input name="actor" defaultValue={filter.actor ?? ""} maxLength={200} />
        </label>
        <label>
          {t("access.audit.from")}
          <input name="from" type="date" defaultValue={filter.from ?? ""} />
        </label>
        <label>
          {t("access.audit.to")}
          <input name="to" type="date" defaultValue={filter.to ?? ""} />
        </label>
        <button type="submit" className="button primary">
          {t("access.audit.filter")}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p>{t("access.audit.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("access.audit.at")}</th>
                <th scope="col">{t("access.audit.actor")}</th>
                <th scope="col">{t("access.audit.action")}</th>
                <th scope="col">{t("access.audit.target")}</th>
                <th scope="col">{t("access.audit.detail")}</th>
                <th scope="col">{t("access.audit.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{date.format(new Date(r.at))}</td>
                  <td>{r.actor ?? "—"}</td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>{r.target ?? "—"}</td>
                  <td>
                    <code>{r.detail}</code>
                  </td>
                  <td>{r.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("access.audit.pages")} className="row-actions">
        {filter.page > 1 && <Link to={pageLink(filter.page - 1)}>{t("access.audit.newer")}</Link>}
        <span>{t("access.audit.page", { page: filter.page })}</span>
        {hasMore && <Link to={pageLink(filter.page + 1)}>{t("access.audit.older")}</Link>}
      </nav>
    </>
  );
}
