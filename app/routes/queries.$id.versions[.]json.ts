import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { jsonError, jsonOk, requireApiUser, requireVisibleQuery } from "~/library/access.server";
import { saveVersion } from "~/library/actions.server";
import { readJsonBody } from "~/library/http.server";

/**
 * POST /queries/:id/versions.json {sql, parameters, message} → 201 {version}. Owner or admin only: 404 when the query is
 * hidden from the user, 403 when they see it but do not own it, 400 {error, field} on bad input.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  if (request.method !== "POST") return jsonError(405, { error: "use POST" });
  const body = await readJsonBody(request);
  const outcome = await saveVersion(context, user, params.id ?? "", body);
  if (!outcome.ok) return jsonError(outcome.status, { error: outcome.error, field: outcome.field ?? null });
  return jsonOk(outcome.value, 201);
}

/** GET lists the versions (newest first) of a visible query. */
export function loader({ params, context }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const id = params.id ?? "";
  requireVisibleQuery(context, user, id, "json");
  const versions = context.services.library.store.versions(id).map((v) => ({ ...v, createdAt: v.createdAt.toISOString() }));
  return jsonOk({ versions });
}
