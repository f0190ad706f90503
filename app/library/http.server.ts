/** Reading JSON request bodies for library routes: a body that is not JSON is a 400 naming it, not a 500. */
import { jsonError } from "./access.server.ts";

export async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.includes("application/json")) throw jsonError(415, { error: "send the body as application/json", field: "body" });
  try {
    return await request.json();
  } catch {
    throw jsonError(400, { error: "the body is not valid JSON", field: "body" });
  }
}
