import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import componentStyles from "~/notebook/components/notebook-components.css?url";
import { mayCreateNotebooks, requireNotebook } from "~/notebooks/access.server";
import { notebookAction } from "~/notebooks/actions.server";
import { NotebookPage } from "~/notebooks/components/NotebookPage";
import pageStyles from "~/notebooks/components/notebook-page.css?url";
import { attachableDatasets } from "~/notebooks/datasets.server";
import type { LocationRow } from "../../connectors/core/types.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: componentStyles },
  { rel: "stylesheet", href: pageStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.notebook.title ?? "Notebook"} · Harmony` }];

export function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = requireNotebook(request, context, params.id ?? "", "read");
  const { notebook, user } = access;
  return {
    notebook: { id: notebook.id, title: notebook.title, archived: notebook.archivedAt !== null },
    canEdit: access.canEdit,
    canManage: access.canManage,
    canDuplicate: mayCreateNotebooks(user),
    readOnlyReason: notebook.archivedAt !== null ? ("archived" as const) : access.canEdit ? null : ("viewer" as const),
    user: { id: user.id, name: user.name },
    datasets: attachableDatasets(context.services, user),
    ...hierarchyForPickers(context.services.catalog.hierarchy()),
  };
}

/** Location pickers need ids, names, levels and parents only (no geometry: it can be megabytes). */
function hierarchyForPickers(rows: readonly LocationRow[]) {
  const levels = new Map<number, string>();
  for (const r of rows) if (!levels.has(r.level)) levels.set(r.level, r.level_name);
  return {
    locations: rows.map((r) => ({ id: r.location_id, name: r.name, level: r.level, parentId: r.parent_id })),
    levels: [...levels].sort((a, b) => a[0] - b[0]).map(([level, name]) => ({ level, name })),
  };
}

export function action({ request, context }: ActionFunctionArgs) {
  return notebookAction(request, context);
}

export default function NotebookRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const error = actionData && "error" in actionData ? actionData.error : null;
  const titleError =
    error === "title-empty"
      ? t("notebooks.errors.titleEmpty")
      : error === "title-too-long"
        ? t("notebooks.errors.titleTooLong")
        : null;
  return (
    <>
      <NotebookPage
        key={data.notebook.id}
        header={{
          id: data.notebook.id,
          title: data.notebook.title,
          archived: data.notebook.archived,
          canEdit: data.canEdit,
          canManage: data.canManage,
          canDuplicate: data.canDuplicate,
          readOnlyReason: data.readOnlyReason,
          titleError,
        }}
        user={data.user}
        datasets={data.datasets}
        locations={data.locations}
        levels={data.levels}
      />
      {/* Sharing and history open as dialogs over the live notebook (child routes). */}
      <Outlet />
    </>
  );
}
