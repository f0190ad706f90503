import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accessControl } from "~/access/access.server";
import { readableDatasetsOf } from "~/access/dataset-files.server";
import { requireUser } from "~/auth/guards.server";
import { EmptyState } from "~/components/empty-state";
import { runStatusLabel } from "~/datasets/components/run-status";

export const meta: MetaFunction = () => [{ title: "Datasets · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const { catalog } = context.services;
  // Deny by default: a dataset the user has no read access to is not listed at all.
  const access = accessControl(context.services);
  const datasets = readableDatasetsOf(context.services, user, catalog.listDatasets()).map((d) => {
    const [latest] = catalog.versions(d.id);
    // Counts are of the whole version: a reader restricted to some locations does not see them (app/access).
    const decision = access.datasetAccess(user, d);
    const restricted = decision.allowed && decision.locationPaths !== null;
    const [lastRun] = catalog.runs(d.id);
    return {
      slug: d.slug,
      title: d.title,
      source: d.sourceKind,
      version: d.currentVersion,
      rows: restricted ? null : (latest?.rows ?? 0),
      locations: restricted ? null : (latest?.locations ?? 0),
      periodStart: latest?.periodStart ?? null,
      periodEnd: latest?.periodEnd ?? null,
      refreshedAt: latest?.createdAt.toISOString() ?? null,
      status: lastRun?.status ?? null,
    };
  });
  return { datasets, canCreate: user.role !== "viewer", hierarchySize: catalog.hierarchy().length };
}

export default function DatasetsIndex() {
  const { datasets, canCreate, hierarchySize } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <>
      <div className="page-head">
        <h1>{t("nav.datasets")}</h1>
        <div className="row-actions">
          <Link to="/datasets/locations" className="button">
            {t("datasets.locations.title")} ({number.format(hierarchySize)})
          </Link>
          <Link to="/datasets/sources" className="button">
            {t("dhis2.sources.title")}
          </Link>
          {canCreate && (
            <>
              <Link to="/datasets/dhis2" className="button">
                {t("dhis2.sources.newDhis2")}
              </Link>
              <Link to="/datasets/new" className="button primary">
                {t("datasets.new.title")}
              </Link>
            </>
          )}
        </div>
      </div>
      {datasets.length === 0 ? (
        <EmptyState title={t("datasets.empty.title")} body={t("datasets.empty.body")} />
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("datasets.list.title")}</th>
                <th scope="col">{t("datasets.list.source")}</th>
                <th scope="col">{t("datasets.list.rows")}</th>
                <th scope="col">{t("datasets.list.periods")}</th>
                <th scope="col">{t("datasets.list.locations")}</th>
                <th scope="col">{t("datasets.list.refreshed")}</th>
                <th scope="col">{t("datasets.list.status")}</th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((d) => (
                <tr key={d.slug}>
                  <td>
                    <Link to={`/datasets/${d.slug}`}>{d.title}</Link>
                    <br />
                    <code className="muted">{d.slug}</code>
                  </td>
                  <td>{d.source}</td>
                  <td>{d.rows === null ? "—" : number.format(d.rows)}</td>
                  <td>{d.periodStart ? `${d.periodStart} – ${d.periodEnd}` : "—"}</td>
                  <td>{d.locations === null ? "—" : number.format(d.locations)}</td>
                  <td>{d.refreshedAt ? date.format(new Date(d.refreshedAt)) : "—"}</td>
                  <td>
                    {d.version ? <span className="badge">v{d.version}</span> : null} {runStatusLabel(t, d.status)}
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
