import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { requireRole, requireUser } from "~/auth/guards.server";
import { RunReportView } from "~/datasets/components/run-report";
import { type RunView, runView } from "~/datasets/run-view.server";

export const meta: MetaFunction = () => [{ title: "Run · Harmony" }];

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const view = runView(context, params.runId ?? "", user);
  if (!view) throw new Response("Not Found", { status: 404 });
  return view;
}

export function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  // Only someone who may see the run may cancel it (runView: its starter and readers of its dataset).
  if (!runView(context, params.runId ?? "", user)) throw new Response("Not Found", { status: 404 });
  context.services.runs.cancel(params.runId ?? "");
  context.services.audit.record({ actor: user, action: "source.cancel", target: params.runId, ip: context.clientIp });
  return redirect(`/datasets/runs/${params.runId}`);
}

export default function RunPage() {
  const initial = useLoaderData<typeof loader>();
  const poll = useFetcher<RunView>();
  const run = poll.data ?? initial;
  const { t } = useTranslation();
  useEffect(() => {
    if (run.status !== "running") return;
    const timer = setInterval(() => poll.load(`/datasets/runs/${run.id}/status`), 500);
    return () => clearInterval(timer);
  }, [run.status, run.id, poll.load]);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/datasets">{t("nav.datasets")}</Link>
        {run.dataset && (
          <>
            {" / "}
            <Link to={`/datasets/${run.dataset.slug}`}>{run.dataset.title}</Link>
          </>
        )}
      </p>
      <h1>{t("datasets.run.title")}</h1>
      {run.status === "running" ? (
        <section aria-live="polite" className="stack narrow">
          <label>
            {t("datasets.run.progress", { rows: run.rowsIn })}
            <progress aria-label={t("datasets.run.progressLabel")} />
          </label>
          <p className="muted">{run.message}</p>
          {run.cancellable && (
            <Form method="post">
              <button type="submit" className="button">
                {t("datasets.run.cancel")}
              </button>
            </Form>
          )}
        </section>
      ) : (
        <RunReportView run={run} />
      )}
    </>
  );
}
