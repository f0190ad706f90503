import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonOk, requireApiUser } from "~/library/access.server";

/**
 * GET /queries/search.json?q=&tag=&dataset=&author=&certified=1&archived=1 → { queries: QuerySummary[] }: the library
 * queries the user may see that match every filter (archived ones only with archived=1). Anonymous → 401.
 */
export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const params = new URL(request.url).searchParams;
  const text = (name: string) => params.get(name)?.slice(0, 200) || undefined;
  const { library } = context.services;
  const queries = library.store.search(library.reader(user), {
    q: text("q"),
    tag: text("tag"),
    dataset: text("dataset"),
    author: text("author"),
    certified: params.get("certified") === "1",
    archived: params.get("archived") === "1",
  });
  return jsonOk({ queries });
}
