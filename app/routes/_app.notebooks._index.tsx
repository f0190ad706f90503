import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { mayCreateNotebooks } from "~/notebooks/access.server";
import { notebookAction } from "~/notebooks/actions.server";
import { NotebookList } from "~/notebooks/components/NotebookList";
import { parseListQuery } from "~/notebooks/list-query";

export const meta: MetaFunction = () => [{ title: "Notebooks · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const query = parseListQuery(new URL(request.url).searchParams);
  const notebooks = context.services.notebooks.list(user, query).map((n) => ({
    id: n.id,
    title: n.title,
    ownerName: n.ownerName,
    mine: n.ownerId === user.id,
    updatedAt: n.updatedAt.toISOString(),
    canManage: n.ownerId === user.id || user.role === "admin",
  }));
  return { notebooks, query, canCreate: mayCreateNotebooks(user) };
}

export function action({ request, context }: ActionFunctionArgs) {
  return notebookAction(request, context);
}

export default function NotebooksIndex() {
  const { notebooks, query, canCreate } = useLoaderData<typeof loader>();
  return <NotebookList notebooks={notebooks} query={query} canCreate={canCreate} />;
}
