import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, Outlet, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireNotebook } from "~/notebooks/access.server";
import { LocalTime, NotebookDialog } from "~/notebooks/components/NotebookDialog";
import { cleanVersionName, historyOf } from "~/notebooks/history.server";

/** The notebook's versions (everyone who can read it), "Save version" and "Restore" (editors). */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = requireNotebook(request, context, params.id ?? "", "read");
  return {
    notebook: { id: access.notebook.id, title: access.notebook.title },
    canEdit: access.canEdit,
    versions: historyOf(context)
      .list(access.notebook.id)
      .map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
  };
}

type HistoryResult = { ok: true; saved: string } | { ok: false; error: "name-empty" | "name-too-long" | "invalid" };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, notebook, canEdit } = requireNotebook(request, context, params.id ?? "", "write");
  // An archived notebook is read-only for everyone: no saving into it, no restoring over it.
  if (!canEdit) throw new Response("This notebook is archived.", { status: 403 });
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const history = historyOf(context);
  const record = (action: string, detail: Record<string, unknown>) =>
    context.services.audit.record({ actor: user, action, target: notebook.id, detail, ip: context.clientIp });

  if (intent === "save") {
    const cleaned = cleanVersionName(form.get("name"));
    if ("error" in cleaned) return data<HistoryResult>({ ok: false, error: `name-${cleaned.error}` }, { status: 400 });
    const version = history.save(notebook.id, cleaned.name, user.id);
    record("notebook.version.save", { versionId: version.id, name: cleaned.name });
    return data<HistoryResult>({ ok: true, saved: cleaned.name });
  }
  if (intent === "restore") {
    const versionId = String(form.get("versionId") ?? "");
    if (!history.restore(notebook.id, versionId, user.id)) throw new Response("No such version.", { status: 404 });
    record("notebook.version.restore", { versionId });
    return redirect(`/notebooks/${notebook.id}`);
  }
  return data<HistoryResult>({ ok: false, error: "invalid" }, { status: 400 });
}

export default function HistoryDialog() {
  const { notebook, canEdit, versions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const errors = {
    "name-empty": t("notebook.history.errors.nameEmpty"),
    "name-too-long": t("notebook.history.errors.nameTooLong"),
    invalid: t("notebook.history.errors.invalid"),
  };
  return (
    <>
      <NotebookDialog notebookId={notebook.id} title={t("notebook.history.title", { title: notebook.title })}>
        {canEdit && (
          <Form method="post" className="row-form nb-history-save" key={result?.ok ? result.saved : "form"}>
            <label htmlFor="nb-version-name">{t("notebook.history.nameLabel")}</label>
            <input
              id="nb-version-name"
              name="name"
              required
              maxLength={120 /* MAX_VERSION_NAME_LENGTH: history.server stays out of the client bundle */}
            />
            <button type="submit" name="intent" value="save" className="button primary" disabled={navigation.state !== "idle"}>
              {t("notebook.history.save")}
            </button>
          </Form>
        )}
        {result &&
          (result.ok ? (
            <output className="notice nb-dialog-status">{t("notebook.history.saved", { name: result.saved })}</output>
          ) : (
            <p className="form-error" role="alert">
              {errors[result.error]}
            </p>
          ))}
        {versions.length === 0 ? (
          <p className="muted">{t("notebook.history.empty")}</p>
        ) : (
          <ol className="nb-versions">
            {versions.map((v) => (
              <li key={v.id} data-version-name={v.name ?? ""}>
                <div>
                  <Link to={v.id} preventScrollReset className="nb-version-name">
                    {v.name ?? t("notebook.history.automatic")}
                  </Link>
                  <span className="muted">
                    {" "}
                    {t("notebook.history.by", { name: v.authorName ?? t("notebook.history.unknownAuthor") })} ·{" "}
                    <LocalTime iso={v.createdAt} locale={i18n.language} />
                  </span>
                </div>
                {canEdit && (
                  <Form method="post">
                    <input type="hidden" name="versionId" value={v.id} />
                    <button type="submit" name="intent" value="restore" className="button">
                      {t("notebook.history.restore")}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ol>
        )}
        <p className="muted">{t("notebook.history.hint")}</p>
      </NotebookDialog>
      <Outlet />
    </>
  );
}
