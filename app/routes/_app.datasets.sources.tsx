import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accessControl } from "~/access/access.server";
import { requireRole, requireUser } from "~/auth/guards.server";
import { listSources } from "~/dhis2/sources.server";
import { pipelineSpecSchema } from "../../connectors/core/pipeline-spec";

export const meta: MetaFunction = () => [{ title: "Sources · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  // Names, hosts and run states only: stored configs (and sealed credentials) never reach the page. Only the sources of
  // datasets the user may read in full are listed: the others' names, hosts and run errors are not theirs to see
  // (app/access; a reader restricted to some locations sees nothing of the other rows, run reports included).
  const access = accessControl(context.services);
  const readable = (slug: string | undefined) => {
    const dataset = slug ? context.services.catalog.bySlug(slug) : undefined;
    const decision = dataset ? access.datasetAccess(user, dataset) : null;
    return decision ? decision.allowed && decision.locationPaths === null : user.role === "admin";
  };
  const sources = listSources(context.services.database.db).filter((s) => readable(s.dataset?.slug));
  return { sources, canRefresh: user.role !== "viewer" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  const form = await request.formData();
  const { catalog, runs, audit } = context.services;
  const source = catalog.source(String(form.get("sourceId") ?? ""));
  const dataset = source ? catalog.listDatasets().find((d) => d.id === source.datasetId) : undefined;
  // As on the dataset page: refreshing needs read access to every row; to anyone else the source does not exist.
  const decision = dataset ? accessControl(context.services).datasetAccess(user, dataset) : null;
  if (!source || !decision?.allowed || decision.locationPaths !== null) throw new Response("Not Found", { status: 404 });
  const spec = pipelineSpecSchema.parse(source.config);
  const run = runs.start(spec, { userId: user.id, sourceId: source.id });
  const runId = await runs.started(run);
  audit.record({
    actor: user,
    action: "source.run",
    target: spec.dataset.slug,
    detail: { refresh: true, sourceId: source.id },
    ip: context.clientIp,
  });
  return redirect(runId ? `/datasets/runs/${runId}` : "/datasets/sources");
}

export default function Sources() {
  const { sources, canRefresh } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const { t, i18n } = useTranslation();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/datasets">{t("nav.datasets")}</Link> / {t("dhis2.sources.title")}
      </p>
      <h1>{t("dhis2.sources.title")}</h1>
      {canRefresh && (
        <p>
          <Link to="/datasets/dhis2" className="button primary">
            {t("dhis2.sources.newDhis2")}
          </Link>
        </p>
      )}
      {sources.length === 0 ? (
        <p className="muted">{t("dhis2.sources.empty")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("dhis2.sources.name")}</th>
              <th>{t("dhis2.sources.kind")}</th>
              <th>{t("dhis2.sources.origin")}</th>
              <th>{t("dhis2.sources.dataset")}</th>
              <th>{t("dhis2.sources.lastRun")}</th>
              {canRefresh && <th />}
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.kind}</td>
                <td>{s.origin ?? "—"}</td>
                <td>{s.dataset ? <Link to={`/datasets/${s.dataset.slug}`}>{s.dataset.title}</Link> : "—"}</td>
                <td>
                  {s.lastRun ? (
                    <Link to={`/datasets/runs/${s.lastRun.id}`} title={s.lastRun.error ?? undefined}>
                      {s.lastRun.status === "succeeded"
                        ? t("dhis2.sources.succeeded", { version: s.lastRun.version })
                        : s.lastRun.status === "failed"
                          ? t("dhis2.sources.failed")
                          : s.lastRun.status === "cancelled"
                            ? t("dhis2.sources.cancelled")
                            : t("dhis2.sources.running")}{" "}
                      · {when(s.lastRun.startedAt)}
                    </Link>
                  ) : (
                    t("dhis2.sources.never")
                  )}
                </td>
                {canRefresh && (
                  <td>
                    <Form method="post">
                      <input type="hidden" name="sourceId" value={s.id} />
                      <button
                        type="submit"
                        className="button"
                        disabled={busy}
                        aria-label={t("dhis2.sources.refreshLabel", { name: s.name })}
                      >
                        {t("dhis2.sources.refresh")}
                      </button>
                    </Form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
