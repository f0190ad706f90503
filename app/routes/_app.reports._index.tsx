import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/guards.server";
import { EmptyState } from "~/components/empty-state";
import { createReportStore } from "~/reports/store.server";

export const meta: MetaFunction = () => [{ title: "Reports · Harmony" }];

/** Reports the user may open (link-only ones only for their owner and admins), newest publish first. */
export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const reports = createReportStore(context.services.database.db)
    .listVisible(user)
    .map((r) => ({
      id: r.id,
      title: r.title,
      ownerName: r.ownerName,
      visibility: r.visibility,
      views: r.views,
      lastPublished: r.lastPublished === null ? null : new Date(r.lastPublished).toISOString(),
    }));
  return { reports };
}

export default function ReportsIndex() {
  const { reports } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const visibilityLabel = {
    workspace: t("reports.list.visibilityWorkspace"),
    groups: t("reports.list.visibilityGroups"),
    link: t("reports.list.visibilityLink"),
    nobody: t("reports.list.visibilityNobody"),
  };
  return (
    <>
      <h1>{t("nav.reports")}</h1>
      {reports.length === 0 ? (
        <EmptyState title={t("reports.empty.title")} body={t("reports.empty.body")} />
      ) : (
        <table className="data-table reports-list">
          <thead>
            <tr>
              <th scope="col">{t("reports.list.title")}</th>
              <th scope="col">{t("reports.list.owner")}</th>
              <th scope="col">{t("reports.list.lastPublished")}</th>
              <th scope="col">{t("reports.list.visibility")}</th>
              <th scope="col">{t("reports.list.views")}</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`/r/${r.id}`}>{r.title}</a>
                </td>
                <td>{r.ownerName}</td>
                <td>
                  {r.lastPublished
                    ? new Date(r.lastPublished).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" })
                    : "—"}
                </td>
                <td>{visibilityLabel[r.visibility]}</td>
                <td>{r.views.toLocaleString(i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
