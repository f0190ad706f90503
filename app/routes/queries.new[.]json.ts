import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { jsonError, jsonOk, requireApiUser } from "~/library/access.server";
import { createQuery } from "~/library/actions.server";
import { readJsonBody } from "~/library/http.server";

/**
 * POST /queries/new.json {name, description, tags, visibility, groupId?, sql, parameters, message} → 201 {id, version: 1};
 * 400 {error, field} on bad input; 403 for viewers; 401 anonymous.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  if (request.method !== "POST") return jsonError(405, { error: "use POST" });
  const body = await readJsonBody(request);
  const outcome = await createQuery(context, user, body);
  if (!outcome.ok) return jsonError(outcome.status, { error: outcome.error, field: outcome.field ?? null });
  return jsonOk(outcome.value, 201);
}

export function loader({ context }: LoaderFunctionArgs) {
  requireApiUser(context);
  return jsonError(405, { error: "use POST" });
}
