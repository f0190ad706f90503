import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accessControl } from "~/access/access.server";
import { GrantsSection } from "~/access/components/grants-section";
import { accessKeyOf, readableFile } from "~/access/dataset-files.server";
import { grantAction, grantsPanel } from "~/access/grant-actions.server";
import { forbidden, requireUser } from "~/auth/guards.server";
import { CoverageChart } from "~/datasets/components/coverage-chart";
import { runStatusLabel } from "~/datasets/components/run-status";
import { datasetFileUrl } from "~/datasets/file-route.server";
import { summarizeVersion } from "~/datasets/inspect.server";
import { pipelineSpecSchema } from "../../connectors/core/pipeline-spec";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.dataset.title ?? "Dataset"} · Harmony` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const { catalog } = context.services;
  const dataset = catalog.bySlug(params.slug ?? "");
  // A dataset the user may not read is Not Found, so slugs cannot be probed.
  const readable = dataset ? accessControl(context.services).datasetAccess(user, dataset) : null;
  if (!dataset || !readable?.allowed) throw new Response("Not Found", { status: 404 });
  const versions = catalog.versions(dataset.id);
  const runs = catalog.runs(dataset.id);
  const current = versions.find((v) => v.version === dataset.currentVersion);
  // A restricted reader's summary (fields, coverage, levels) comes from their slice: not even counts of other rows.
  const file = current ? await readableFile(context.services, user, dataset, current) : null;
  const summary = file?.allowed ? await summarizeVersion(file.filePath) : null;
  const [source] = catalog.sources(dataset.id);
  const lastRun = runs[0];
  // A reader restricted to some locations sees nothing of the other rows: no whole-version counts, runs or unmatched
  // names (app/access; the run pages refuse them too).
  const restricted = readable.locationPaths !== null;
  return {
    dataset: {
      slug: dataset.slug,
      title: dataset.title,
      description: dataset.description,
      currentVersion: dataset.currentVersion,
    },
    fileUrl: current ? datasetFileUrl(dataset.slug, current.version, accessKeyOf(readable.locationPaths)) : null,
    restricted,
    grants: grantsPanel(context, user, dataset),
    summary,
    versions: versions.map((v) => {
      const run = runs.find((r) => r.id === v.runId);
      return {
        version: v.version,
        rows: restricted ? null : v.rows,
        sizeBytes: v.sizeBytes,
        periodStart: v.periodStart,
        periodEnd: v.periodEnd,
        createdAt: v.createdAt.toISOString(),
        runId: restricted ? null : v.runId,
        rowsIn: restricted ? null : (run?.rowsIn ?? null),
        rowsRejected: restricted ? null : (run?.rowsRejected ?? null),
      };
    }),
    runs: (restricted ? [] : runs)
      .slice(0, 20)
      .map((r) => ({ id: r.id, status: r.status, startedAt: r.startedAt.toISOString(), version: r.version, error: r.error })),
    source: source ? { id: source.id, kind: source.kind, name: source.name } : null,
    unmatched: (
      (restricted ? [] : (lastRun?.unmatched ?? [])) as { value: string; parent: string | null; count: number }[]
    ).slice(0, 50),
    canRefresh: user.role !== "viewer" && !restricted && Boolean(source),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const { catalog, runs, audit } = context.services;
  const dataset = catalog.bySlug(params.slug ?? "");
  const readable = dataset ? accessControl(context.services).datasetAccess(user, dataset) : null;
  if (!dataset || !readable?.allowed) throw new Response("Not Found", { status: 404 });
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "grant.add" || intent === "grant.remove") return grantAction(context, user, dataset, form);
  // A refresh's run report covers every location: not for viewers, nor for readers restricted to some locations.
  if (user.role === "viewer" || readable.locationPaths !== null) throw forbidden();
  const [source] = catalog.sources(dataset.id);
  if (!source) throw new Response("Not Found", { status: 404 });
  const spec = pipelineSpecSchema.parse(source.config);
  const run = runs.start(spec, { userId: user.id, sourceId: source.id });
  const runId = await runs.started(run);
  audit.record({ actor: user, action: "source.run", target: dataset.slug, detail: { refresh: true }, ip: context.clientIp });
  return redirect(runId ? `/datasets/runs/${runId}` : `/datasets/${dataset.slug}`);
}

export default function DatasetPage() {
  const d = useLoaderData<typeof loader>();
  const actionResult = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/datasets">{t("nav.datasets")}</Link> / {d.dataset.title}
      </p>
      <div className="page-head">
        <div>
          <h1>{d.dataset.title}</h1>
          <p className="muted">
            {t("datasets.page.attachAs")} <code>{d.dataset.slug}</code>
            {d.dataset.currentVersion ? ` · v${d.dataset.currentVersion}` : ""}
          </p>
        </div>
        <div className="row-actions">
          {d.fileUrl && (
            <a className="button" href={`/datasets/${d.dataset.slug}/export/adx`} download>
              {t("datasets.page.exportAdx")}
            </a>
          )}
          {d.canRefresh && (
            <Form method="post">
              <button type="submit" className="button primary" disabled={busy}>
                {t("datasets.page.refresh")}
              </button>
            </Form>
          )}
        </div>
      </div>
      {d.dataset.description && <p>{d.dataset.description}</p>}
      {d.restricted && <p className="notice">{t("access.grants.restrictedNotice")}</p>}
      {!d.summary ? (
        <p className="notice warning">{t("datasets.page.noVersion")}</p>
      ) : (
        <>
          <section aria-labelledby="fields-h">
            <h2 id="fields-h">{t("datasets.page.fields")}</h2>
            <div className="table-scroll">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t("datasets.page.field")}</th>
                    <th scope="col">{t("datasets.page.fieldId")}</th>
                    <th scope="col">{t("datasets.page.unit")}</th>
                    <th scope="col">{t("datasets.page.aggregation")}</th>
                    <th scope="col">{t("datasets.list.rows")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.summary.fields.map((f) => (
                    <tr key={f.field_id}>
                      <td>
                        {f.name}
                        {f.description && <div className="muted">{f.description}</div>}
                      </td>
                      <td>
                        <code>{f.field_id}</code>
                      </td>
                      <td>{f.unit ?? "—"}</td>
                      <td>{f.aggregation}</td>
                      <td>{number.format(f.rows)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="coverage-h">
            <h2 id="coverage-h">{t("datasets.page.coverage")}</h2>
            <CoverageChart coverage={d.summary.coverage} label={t("datasets.page.coverageLabel")} />
          </section>
          <section aria-labelledby="levels-h">
            <h2 id="levels-h">{t("datasets.page.levels")}</h2>
            <ul>
              {d.summary.levels.map((l) => (
                <li key={l.level}>
                  {l.level_name}: {number.format(l.locations)}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
      <section aria-labelledby="versions-h">
        <h2 id="versions-h">{t("datasets.page.versions")}</h2>
        <p className="muted">{t("datasets.page.lineage", { source: d.source ? `${d.source.kind} · ${d.source.name}` : "—" })}</p>
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("datasets.page.version")}</th>
                <th scope="col">{t("datasets.list.rows")}</th>
                <th scope="col">{t("datasets.list.periods")}</th>
                <th scope="col">{t("datasets.page.published")}</th>
                <th scope="col">{t("datasets.page.run")}</th>
              </tr>
            </thead>
            <tbody>
              {d.versions.map((v) => (
                <tr key={v.version}>
                  <td>v{v.version}</td>
                  <td>{v.rows === null ? "—" : number.format(v.rows)}</td>
                  <td>{v.periodStart ? `${v.periodStart} – ${v.periodEnd}` : "—"}</td>
                  <td>{date.format(new Date(v.createdAt))}</td>
                  <td>{v.runId && <Link to={`/datasets/runs/${v.runId}`}>{t("datasets.page.runReport")}</Link>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {d.runs.some((r) => r.status !== "succeeded") && (
          <details>
            <summary>{t("datasets.page.otherRuns")}</summary>
            <ul>
              {d.runs
                .filter((r) => r.status !== "succeeded")
                .map((r) => (
                  <li key={r.id}>
                    <Link to={`/datasets/runs/${r.id}`}>{date.format(new Date(r.startedAt))}</Link> —{" "}
                    {runStatusLabel(t, r.status)}
                    {r.error ? `: ${r.error}` : ""}
                  </li>
                ))}
            </ul>
          </details>
        )}
      </section>
      {d.unmatched.length > 0 && (
        <section aria-labelledby="unmatched-h">
          <h2 id="unmatched-h">{t("datasets.page.unmatched")}</h2>
          <ul>
            {d.unmatched.map((u) => (
              <li key={`${u.parent}/${u.value}`}>
                {u.value}
                {u.parent ? ` (${u.parent})` : ""}: {number.format(u.count)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {d.grants && <GrantsSection panel={d.grants} result={actionResult && "ok" in actionResult ? actionResult : null} />}
    </>
  );
}
