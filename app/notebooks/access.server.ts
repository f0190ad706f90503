import type { AppLoadContext } from "@remix-run/node";
import { forbidden, requireUser } from "../auth/guards.server.ts";
import type { SessionUser } from "../auth/sessions.server.ts";
import { canManage, canWrite, type NotebookRole, type NotebookSummary } from "./store.server.ts";

export type NotebookNeed = "read" | "write" | "manage";

export interface NotebookAccess {
  user: SessionUser;
  notebook: NotebookSummary;
  role: NotebookRole;
  /** Editing the content (false for viewers and for archived notebooks). */
  canEdit: boolean;
  /** Renaming, archiving. */
  canManage: boolean;
}

/**
 * The signed-in user's access to notebook `id`, or a thrown refusal: anonymous → sign-in, no role or not enough of one →
 * 403. A notebook that does not exist is also a 403, so ids cannot be probed.
 */
export function requireNotebook(request: Request, context: AppLoadContext, id: string, need: NotebookNeed): NotebookAccess {
  const user = requireUser(request, context);
  const { notebooks } = context.services;
  const role = notebooks.roleOf(user, id);
  const notebook = role ? notebooks.get(id) : undefined;
  if (!role || !notebook) throw forbidden("You do not have access to this notebook.");
  const archived = notebook.archivedAt !== null;
  const access: NotebookAccess = {
    user,
    notebook,
    role,
    canEdit: canWrite(role) && !archived,
    canManage: canManage(role),
  };
  if (need === "write" && !canWrite(role)) throw forbidden("You can read this notebook but not change it.");
  if (need === "manage" && !access.canManage) throw forbidden("Only the notebook's owner or an admin can do this.");
  return access;
}

/** Analysts and admins create notebooks (viewers read what is shared with them). */
export function mayCreateNotebooks(user: SessionUser): boolean {
  return user.role === "admin" || user.role === "analyst";
}
