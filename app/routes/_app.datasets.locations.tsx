import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { HIERARCHY_ADMIN_ONLY, mayReplaceHierarchy } from "~/access/hierarchy-policy";
import { requireRole, requireUser } from "~/auth/guards.server";
import { importLevelTable } from "~/datasets/level-import.server";
import { findUpload, receiveUpload, UploadError } from "~/datasets/uploads.server";

export const meta: MetaFunction = () => [{ title: "Locations · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const hierarchy = context.services.catalog.hierarchy();
  const levels = new Map<number, { level: number; name: string; count: number }>();
  for (const l of hierarchy) {
    const entry = levels.get(l.level) ?? { level: l.level, name: l.level_name, count: 0 };
    entry.count++;
    levels.set(l.level, entry);
  }
  return {
    levels: [...levels.values()].sort((a, b) => a.level - b.level),
    canImport: mayReplaceHierarchy(user.role, hierarchy.length),
    adminOnly: user.role === "analyst" && !mayReplaceHierarchy(user.role, hierarchy.length),
  };
}

type Result = { ok: true; count: number; warnings: string[] } | { ok: false; error: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  if (!mayReplaceHierarchy(user.role, context.services.catalog.hierarchy().length)) {
    return data<Result>({ ok: false, error: HIERARCHY_ADMIN_ONLY }, { status: 403 });
  }
  try {
    const id = await receiveUpload(request, context, user.id);
    const upload = findUpload(context, id, user.id)!;
    const { count, warnings } = await importLevelTable(context, upload);
    context.services.audit.record({
      actor: user,
      action: "locations.import",
      detail: { count, file: upload.fileName },
      ip: context.clientIp,
    });
    return data<Result>({ ok: true, count, warnings });
  } catch (error) {
    const status = error instanceof UploadError ? error.status : 400;
    return data<Result>({ ok: false, error: error instanceof Error ? error.message : String(error) }, { status });
  }
}

export default function Locations() {
  const { levels, canImport, adminOnly } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/datasets">{t("nav.datasets")}</Link> / {t("datasets.locations.title")}
      </p>
      <h1>{t("datasets.locations.title")}</h1>
      <p>{t("datasets.locations.intro")}</p>
      {levels.length === 0 ? (
        <p className="notice warning">{t("datasets.locations.empty")}</p>
      ) : (
        <table className="data-table narrow">
          <thead>
            <tr>
              <th scope="col">{t("datasets.locations.level")}</th>
              <th scope="col">{t("datasets.locations.name")}</th>
              <th scope="col">{t("datasets.locations.count")}</th>
            </tr>
          </thead>
          <tbody>
            {levels.map((l) => (
              <tr key={l.level}>
                <td>{l.level}</td>
                <td>{l.name}</td>
                <td>{number.format(l.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adminOnly && <p className="muted">{t("datasets.locations.adminOnly")}</p>}
      {canImport && (
        <Form method="post" encType="multipart/form-data" className="stack narrow">
          <h2>{t("datasets.locations.import")}</h2>
          <p className="muted">{t("datasets.locations.importHelp")}</p>
          <label>
            {t("datasets.new.file")}
            <input type="file" name="file" required accept=".csv,.tsv,.txt,.xlsx" />
          </label>
          {result && !result.ok && (
            <p role="alert" className="form-error">
              {result.error}
            </p>
          )}
          {result?.ok && (
            <output className="notice">
              {t("datasets.locations.imported", { count: result.count })}
              {result.warnings.length > 0 && (
                <ul>
                  {result.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              )}
            </output>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {t("datasets.locations.importButton")}
          </button>
        </Form>
      )}
    </>
  );
}
