import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/guards.server";
import { ACCEPTED_EXTENSIONS } from "~/datasets/accepted-files";
import { receiveUpload, UploadError } from "~/datasets/uploads.server";

export const meta: MetaFunction = () => [{ title: "New dataset · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(request, context, ["admin", "analyst"]);
  return {
    maxMb: Math.round(context.services.config.uploadMaxBytes / 1024 / 1024),
    locations: context.services.catalog.hierarchy().length,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  try {
    const id = await receiveUpload(request, context, user.id);
    return redirect(`/datasets/new/${id}`);
  } catch (error) {
    if (error instanceof UploadError) return data({ error: error.message }, { status: error.status });
    throw error;
  }
}

export default function NewDataset() {
  const { maxMb, locations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation();
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/datasets">{t("nav.datasets")}</Link> / {t("datasets.new.title")}
      </p>
      <h1>{t("datasets.new.title")}</h1>
      <ol className="steps" aria-label={t("datasets.wizard.steps")}>
        <li aria-current="step">{t("datasets.wizard.upload")}</li>
        <li>{t("datasets.wizard.columns")}</li>
        <li>{t("datasets.wizard.review")}</li>
        <li>{t("datasets.wizard.publish")}</li>
      </ol>
      {locations === 0 && (
        <p className="notice warning">
          {t("datasets.new.noHierarchy")} <Link to="/datasets/locations">{t("datasets.locations.title")}</Link>
        </p>
      )}
      <Form method="post" encType="multipart/form-data" className="stack narrow">
        <label>
          {t("datasets.new.file")}
          <input type="file" name="file" required accept={ACCEPTED_EXTENSIONS.join(",")} />
        </label>
        <p className="muted">{t("datasets.new.limit", { mb: maxMb })}</p>
        {result?.error && (
          <p role="alert" className="form-error">
            {result.error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t("datasets.new.uploading") : t("datasets.new.upload")}
        </button>
      </Form>
    </>
  );
}
