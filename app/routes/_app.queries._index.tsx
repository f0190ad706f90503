import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { filtersFrom, QueryList } from "~/library/components/QueryList";
import libraryStyles from "~/library/library.css?url";
import { mayCreateQueries } from "~/library/visibility";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export const meta: MetaFunction = () => [{ title: "Queries · Harmony" }];

/** The library: the queries the user may see, filtered by name, tag, dataset, author, certification; archived on request. */
export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const filters = filtersFrom(new URL(request.url).searchParams);
  const { library } = context.services;
  const queries = library.store.search(library.reader(user), {
    q: filters.q || undefined,
    tag: filters.tag || undefined,
    dataset: filters.dataset || undefined,
    author: filters.author || undefined,
    certified: filters.certified,
    archived: filters.archived,
  });
  return { queries, filters, canCreate: mayCreateQueries(user.role) };
}

export default function QueriesIndex() {
  const { queries, filters, canCreate } = useLoaderData<typeof loader>();
  return <QueryList queries={queries} filters={filters} canCreate={canCreate} />;
}
