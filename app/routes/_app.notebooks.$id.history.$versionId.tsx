import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MarkdownView } from "~/notebook/components/index";
import { requireNotebook } from "~/notebooks/access.server";
import { LocalTime, NotebookDialog } from "~/notebooks/components/NotebookDialog";
import { historyOf } from "~/notebooks/history.server";

/** One version, read-only: its cells as they were (no editor, nothing runs). */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = requireNotebook(request, context, params.id ?? "", "read");
  const history = historyOf(context);
  const version = history.get(access.notebook.id, params.versionId ?? "");
  const content = version && history.read(access.notebook.id, version.id);
  if (!version || !content) throw new Response("No such version.", { status: 404 });
  return {
    notebook: { id: access.notebook.id },
    canEdit: access.canEdit,
    version: { ...version, createdAt: version.createdAt.toISOString() },
    cells: content.cells.map(({ id, kind, name, source }) => ({ id, kind, name, source })),
  };
}

export default function VersionView() {
  const { notebook, canEdit, version, cells } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <NotebookDialog notebookId={notebook.id} title={version.name ?? t("notebook.history.automatic")} wide>
      <p className="muted">
        {t("notebook.history.by", { name: version.authorName ?? t("notebook.history.unknownAuthor") })} ·{" "}
        <LocalTime iso={version.createdAt} locale={i18n.language} />
      </p>
      <p className="notice">{t("notebook.history.readOnly")}</p>
      {canEdit && (
        <Form method="post" action={`/notebooks/${notebook.id}/history`}>
          <input type="hidden" name="versionId" value={version.id} />
          <button type="submit" name="intent" value="restore" className="button primary">
            {t("notebook.history.restore")}
          </button>
        </Form>
      )}
      <ol className="nb-version-cells" aria-label={t("notebook.page.cells")}>
        {cells.map((cell) => (
          <li key={cell.id} data-cell-id={cell.id} data-kind={cell.kind}>
            {cell.name && <p className="nb-version-cell-name">{cell.name}</p>}
            {cell.kind === "markdown" ? (
              <MarkdownView source={cell.source} />
            ) : (
              <pre className="nb-version-source">{cell.source}</pre>
            )}
          </li>
        ))}
      </ol>
    </NotebookDialog>
  );
}
