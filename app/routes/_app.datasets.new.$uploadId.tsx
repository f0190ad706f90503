import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accessControl } from "~/access/access.server";
import { forbidden, requireRole } from "~/auth/guards.server";
import { AdxForm } from "~/datasets/components/adx-form";
import { LocationReview } from "~/datasets/components/location-review";
import { MappingForm } from "~/datasets/components/mapping-form";
import { guessRoles } from "~/datasets/guess-roles";
import { previewUpload } from "~/datasets/preview.server";
import { findUpload, uploadKind } from "~/datasets/uploads.server";
import { specFromAdxForm, specFromForm, WizardError } from "~/datasets/wizard.server";
import { type PipelineSpec, pipelineSpecSchema } from "../../connectors/core/pipeline-spec";

export const meta: MetaFunction = () => [{ title: "New dataset · Harmony" }];

function levelsOf(hierarchy: { level: number; level_name: string }[]) {
  const byLevel = new Map<number, string>();
  for (const l of hierarchy) if (!byLevel.has(l.level)) byLevel.set(l.level, l.level_name);
  return [...byLevel].sort((a, b) => a[0] - b[0]).map(([level, name]) => ({ level, name }));
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  const upload = findUpload(context, params.uploadId ?? "", user.id);
  if (!upload) throw new Response("Not Found", { status: 404 });
  const sheet = new URL(request.url).searchParams.get("sheet");
  const levels = levelsOf(context.services.catalog.hierarchy());
  try {
    const preview = await previewUpload(upload, sheet);
    return {
      fileName: upload.fileName,
      preview,
      levels,
      guesses: guessRoles(
        preview.columns,
        preview.rows.map((r) => r.values),
        levels,
      ),
      error: null,
    };
  } catch (error) {
    return {
      fileName: upload.fileName,
      preview: null,
      levels,
      guesses: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

type Review = {
  step: "review";
  spec: PipelineSpec;
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  issues: string[];
  issueCount: number;
  unmatched: {
    totalRows: number;
    distinctValues: number;
    entries: import("../../connectors/harmonize/locations").UnmatchedEntry[];
  };
};
type ActionResult = Review | { step: "mapping"; problems: string[] };

async function review(context: ActionFunctionArgs["context"], userId: string, spec: PipelineSpec) {
  const run = context.services.runs.start(spec, { userId, preview: true });
  const report = await run.done;
  if (report.status !== "succeeded")
    return data<ActionResult>({ step: "mapping", problems: [report.error ?? "The check failed."] }, { status: 422 });
  return data<ActionResult>({
    step: "review",
    spec,
    rowsIn: report.rowsIn,
    rowsOut: report.rowsOut,
    rowsRejected: report.rowsRejected,
    issues: report.issues.slice(0, 20).map((i) => i.message),
    issueCount: report.issueCount,
    unmatched: report.unmatched,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  const upload = findUpload(context, params.uploadId ?? "", user.id);
  if (!upload) throw new Response("Not Found", { status: 404 });
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "check") {
    const sheet = String(form.get("sheet") ?? "") || undefined;
    const preview = await previewUpload(upload, sheet);
    try {
      const source = { kind: uploadKind(upload.fileName), path: upload.storedPath, name: upload.fileName, sheet };
      const spec =
        source.kind === "adx" ? await specFromAdxForm(form, source) : await specFromForm(form, source, preview.columns);
      const existing = context.services.catalog.bySlug(spec.dataset.slug);
      // Replacing a dataset is for its owner and admins only (app/access), as below for publish.
      const mayReplace = existing && accessControl(context.services).mayManageGrants(user, existing);
      if (existing && (form.get("replace") !== "on" || !mayReplace)) {
        return data<ActionResult>(
          { step: "mapping", problems: [`A dataset named “${spec.dataset.slug}” exists already: choose another short name.`] },
          { status: 409 },
        );
      }
      return await review(context, user.id, spec);
    } catch (error) {
      if (error instanceof WizardError) return data<ActionResult>({ step: "mapping", problems: error.problems }, { status: 400 });
      throw error;
    }
  }
  const spec = pipelineSpecSchema.parse(JSON.parse(String(form.get("spec") ?? "{}")));
  // The spec comes back from the page: it may only name this upload's file, never another path on the server.
  if (spec.source.kind === "dhis2" || spec.source.config.path !== upload.storedPath)
    throw new Response("Bad Request", { status: 400 });
  // Publishing under an existing slug adds a version every reader of that dataset is then served: only its owner or an
  // admin may, whatever the page sent back.
  const existing = context.services.catalog.bySlug(spec.dataset.slug);
  if (existing && !accessControl(context.services).mayManageGrants(user, existing)) {
    throw forbidden(`Only the owner of dataset ${spec.dataset.slug} or an admin can publish a new version of it.`);
  }
  if (intent === "decide") {
    const threshold = Number(form.get("acceptAbove") ?? "");
    const entries = JSON.parse(String(form.get("entries") ?? "[]")) as { key: string; best?: { id: string; score: number } }[];
    for (const entry of entries) {
      const choice = String(form.get(`decision.${entry.key}`) ?? "");
      if (form.get("bulk") === "accept" && entry.best && entry.best.score >= threshold) {
        context.services.catalog.saveDecision(entry.key, entry.best.id, user.id);
      } else if (choice === "reject") context.services.catalog.saveDecision(entry.key, null, user.id);
      else if (choice) context.services.catalog.saveDecision(entry.key, choice, user.id);
    }
    context.services.audit.record({ actor: user, action: "locations.decide", target: spec.dataset.slug, ip: context.clientIp });
    return review(context, user.id, spec);
  }
  if (intent === "publish") {
    const run = context.services.runs.start(spec, { userId: user.id });
    const runId = await context.services.runs.started(run);
    context.services.audit.record({ actor: user, action: "source.run", target: spec.dataset.slug, ip: context.clientIp });
    if (!runId)
      return data<ActionResult>(
        { step: "mapping", problems: [(await run.done).error ?? "The run could not start."] },
        { status: 500 },
      );
    return redirect(`/datasets/runs/${runId}`);
  }
  throw new Response("Bad Request", { status: 400 });
}

export default function MapUpload() {
  const { fileName, preview, levels, guesses, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const reviewing = result?.step === "review" && !params.get("back");
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/datasets">{t("nav.datasets")}</Link> / <Link to="/datasets/new">{t("datasets.new.title")}</Link> / {fileName}
      </p>
      <h1>{fileName}</h1>
      <ol className="steps" aria-label={t("datasets.wizard.steps")}>
        <li>{t("datasets.wizard.upload")}</li>
        <li aria-current={reviewing ? undefined : "step"}>{t("datasets.wizard.columns")}</li>
        <li aria-current={reviewing ? "step" : undefined}>{t("datasets.wizard.review")}</li>
        <li>{t("datasets.wizard.publish")}</li>
      </ol>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      {busy && (
        <p className="notice" aria-live="polite">
          {t("datasets.wizard.working")}
        </p>
      )}
      {result?.step === "mapping" && (
        <div role="alert" className="form-error">
          <ul>
            {result.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {reviewing && result?.step === "review" ? (
        <LocationReview review={result} busy={busy} />
      ) : (
        preview &&
        (preview.kind === "adx" ? (
          <AdxForm preview={preview} levels={levels} busy={busy} defaultTitle={fileName.replace(/\.[^.]+$/, "")} />
        ) : (
          <MappingForm
            preview={preview}
            levels={levels}
            guesses={guesses}
            busy={busy}
            defaultTitle={fileName.replace(/\.[^.]+$/, "")}
          />
        ))
      )}
      {reviewing && (
        <Form method="get">
          <input type="hidden" name="back" value="1" />
          <button type="submit" className="button">
            {t("datasets.wizard.backToColumns")}
          </button>
        </Form>
      )}
    </>
  );
}
