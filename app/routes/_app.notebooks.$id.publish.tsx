import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireNotebook } from "~/notebooks/access.server";
import { NotebookDialog } from "~/notebooks/components/NotebookDialog";
import { PublishRefused, publishReport } from "~/reports/publish.server";
import { publishFormData, publishInputFromForm } from "~/reports/publish-form.server";

/** Publish the notebook as a report (owner and editors): choose cells, order, width, title, description, who sees it. */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  const { notebook } = requireNotebook(request, context, params.id ?? "", "write");
  return { notebook: { id: notebook.id, title: notebook.title }, ...publishFormData(context.services, notebook.id) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { notebook, user } = requireNotebook(request, context, params.id ?? "", "write");
  const input = publishInputFromForm(await request.formData());
  try {
    const published = await publishReport(context.services, user, notebook.id, input, context.clientIp ?? null);
    const query = published.linkToken ? `?token=${encodeURIComponent(published.linkToken)}` : "";
    return redirect(`/r/${published.reportId}${query}`);
  } catch (error) {
    if (error instanceof PublishRefused) return data({ error: error.message }, { status: error.status });
    throw error;
  }
}

const WIDTHS = ["third", "half", "full"] as const;

export default function PublishReport() {
  const { notebook, cells, groups, report, variantInputs, fixedInputCount, maxVariants } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation();
  const previous = new Map((report?.tiles ?? []).map((tile) => [tile.cellId, tile]));
  const visibility = report?.visibility ?? "workspace";
  const kindLabel = {
    sql: t("reports.publish.kind.sql"),
    markdown: t("reports.publish.kind.markdown"),
    chart: t("reports.publish.kind.chart"),
    input: t("reports.publish.kind.input"),
  };
  const widthLabel = {
    third: t("reports.publish.width.third"),
    half: t("reports.publish.width.half"),
    full: t("reports.publish.width.full"),
  };
  return (
    <NotebookDialog notebookId={notebook.id} title={t("reports.publish.title", { title: notebook.title })} wide>
      {result?.error && (
        <p className="form-error" role="alert">
          {result.error}
        </p>
      )}
      {report && (
        <p className="notice">
          {t("reports.publish.republish", { version: report.version ?? 0 })}{" "}
          <a href={`/r/${report.id}`}>{t("reports.publish.open")}</a>
        </p>
      )}
      <Form method="post" className="publish-form">
        <label>
          {t("reports.publish.reportTitle")}
          <input name="title" required maxLength={200} defaultValue={report?.title ?? notebook.title} />
        </label>
        <label>
          {t("reports.publish.description")}
          <textarea name="description" rows={3} maxLength={5000} defaultValue={report?.description ?? ""} />
        </label>
        <fieldset>
          <legend>{t("reports.publish.cells")}</legend>
          <table className="publish-cells">
            <thead>
              <tr>
                <th scope="col">{t("reports.publish.include")}</th>
                <th scope="col">{t("reports.publish.cell")}</th>
                <th scope="col">{t("reports.publish.order")}</th>
                <th scope="col">{t("reports.publish.widthLabel")}</th>
              </tr>
            </thead>
            <tbody>
              {cells.map((cell, i) => {
                const before = previous.get(cell.id);
                return (
                  <tr key={cell.id}>
                    <td>
                      <input
                        type="checkbox"
                        name="cell"
                        value={cell.id}
                        defaultChecked={Boolean(before)}
                        aria-label={cell.name || cell.id}
                      />
                    </td>
                    <td>
                      <strong>{cell.name || "—"}</strong> <span className="muted">{kindLabel[cell.kind]}</span>
                      <div className="muted">
                        <code>{cell.preview}</code>
                      </div>
                    </td>
                    <td>
                      <input
                        type="number"
                        name={`order.${cell.id}`}
                        min={1}
                        defaultValue={before?.order ?? i + 1}
                        style={{ width: "4rem" }}
                        aria-label={t("reports.publish.order")}
                      />
                    </td>
                    <td>
                      <select
                        name={`width.${cell.id}`}
                        defaultValue={before?.width ?? (cell.kind === "chart" ? "half" : "full")}
                        aria-label={t("reports.publish.widthLabel")}
                      >
                        {WIDTHS.map((w) => (
                          <option key={w} value={w}>
                            {widthLabel[w]}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>
        {fixedInputCount > 0 && (
          <fieldset>
            <legend>{t("reports.publish.inputs")}</legend>
            {variantInputs.map((input) => (
              <label key={input.name} className="checkbox">
                <input type="checkbox" name="variant" value={input.name} defaultChecked={report?.variants.includes(input.name)} />
                {t("reports.publish.variantInput", { label: input.label, n: input.options })}
              </label>
            ))}
            <p className="muted">{t("reports.publish.inputsNote", { max: maxVariants })}</p>
          </fieldset>
        )}
        <fieldset>
          <legend>{t("reports.publish.visibility")}</legend>
          {(["workspace", "groups", "link", "nobody"] as const).map((v) => (
            <label key={v} className="radio">
              <input type="radio" name="visibility" value={v} defaultChecked={visibility === v} />
              {v === "workspace"
                ? t("reports.publish.visibilityWorkspace")
                : v === "groups"
                  ? t("reports.publish.visibilityGroups")
                  : v === "link"
                    ? t("reports.publish.visibilityLink")
                    : t("reports.publish.visibilityNobody")}
            </label>
          ))}
          {groups.length > 0 && (
            <div className="publish-groups">
              {groups.map((g) => (
                <label key={g.id} className="checkbox">
                  <input type="checkbox" name="group" value={g.id} defaultChecked={report?.groups.includes(g.id)} />
                  {g.name}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <p className="muted">{t("reports.publish.accessNote")}</p>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t("reports.publish.publishing") : t("reports.publish.submit")}
        </button>
      </Form>
    </NotebookDialog>
  );
}
