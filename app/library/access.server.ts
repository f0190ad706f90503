/**
 * Guards for library routes. JSON routes answer anonymous requests 401 (a fetch cannot follow a sign-in redirect);
 * pages redirect to sign-in. A query the user may not see is a 404 either way, the same answer as for an id that does
 * not exist, so existence never leaks.
 */
import type { AppLoadContext } from "@remix-run/node";
import { requireUser } from "../auth/guards.server.ts";
import type { SessionUser } from "../auth/sessions.server.ts";
import type { QueryRow } from "./store.server.ts";

const NO_STORE = { "Cache-Control": "private, no-store" };

export const jsonError = (status: number, body: Record<string, unknown>) => Response.json(body, { status, headers: NO_STORE });
export const jsonOk = (body: unknown, status = 200) => Response.json(body, { status, headers: NO_STORE });

export function requireApiUser(context: AppLoadContext): SessionUser {
  const user = context.auth.user;
  if (!user) throw jsonError(401, { error: "sign in to use the query library" });
  return user;
}

/** The signed-in user for a JSON route (401) or a page (redirect to sign-in). */
export function libraryUser(request: Request, context: AppLoadContext, mode: "json" | "page"): SessionUser {
  return mode === "json" ? requireApiUser(context) : requireUser(request, context);
}

export function queryNotFound(mode: "json" | "page", id: string): Response {
  const message = `no library query '${id}'`;
  return mode === "json" ? jsonError(404, { error: message }) : new Response(message, { status: 404, statusText: "Not Found" });
}

/** The query if the user may see it; otherwise a thrown 404. */
export function requireVisibleQuery(context: AppLoadContext, user: SessionUser, id: string, mode: "json" | "page"): QueryRow {
  const row = context.services.library.visible(user, id);
  if (!row) throw queryNotFound(mode, id);
  return row;
}

/** "3" → 3; anything but a positive integer → null. */
export function versionNumber(raw: string | undefined | null): number | null {
  if (!raw || !/^[1-9]\d{0,8}$/.test(raw)) return null;
  return Number(raw);
}
