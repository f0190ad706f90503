import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonError, jsonOk, requireApiUser, requireVisibleQuery, versionNumber } from "~/library/access.server";

/**
 * GET /queries/:id/v/:version.json → QueryVersionView (its SQL, parameters, author…). 404 when the query is hidden from
 * the user or has no such version. Archived queries still answer: linked cells keep working where they are used.
 */
export function loader({ params, context }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const id = params.id ?? "";
  const row = requireVisibleQuery(context, user, id, "json");
  const number = versionNumber(params.version);
  const version = number === null ? undefined : context.services.library.store.version(id, number);
  if (!version) return jsonError(404, { error: `query '${row.name}' has no version ${params.version}` });
  return jsonOk(version);
}
