import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonOk, queryNotFound, requireApiUser, requireVisibleQuery } from "~/library/access.server";

/** GET /queries/:id/summary.json → QuerySummary; 404 when the query does not exist or the user may not see it. */
export function loader({ params, context }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const id = params.id ?? "";
  requireVisibleQuery(context, user, id, "json");
  const summary = context.services.library.store.summary(id);
  if (!summary) throw queryNotFound("json", id);
  return jsonOk(summary);
}
