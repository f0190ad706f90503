/**
 * Form actions on notebooks (list page and notebook page): create, rename, duplicate, archive, unarchive. Each checks
 * access itself and is recorded in the audit log.
 */
import { type AppLoadContext, data, redirect } from "@remix-run/node";
import { forbidden, requireUser } from "../auth/guards.server.ts";
import { mayCreateNotebooks, requireNotebook } from "./access.server.ts";
import { cleanTitle } from "./store.server.ts";

/** A close code y-websocket reconnects after (4400–4499 would stop it for good). */
const CLOSE_RECONNECT = 4000;

export type NotebookActionError = { error: "title-empty" | "title-too-long" | "unknown-intent" };

function titleOrError(raw: FormDataEntryValue | null, fallback: string) {
  const cleaned = cleanTitle(raw && String(raw).trim() ? raw : fallback);
  if ("error" in cleaned) return data<NotebookActionError>({ error: `title-${cleaned.error}` }, { status: 400 });
  return cleaned.title;
}

/** Handles `intent` = create | rename | duplicate | archive | unarchive. Returns a redirect, or a 400 with an error code. */
export async function notebookAction(request: Request, context: AppLoadContext) {
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const { notebooks, audit, collab } = context.services;
  const record = (actor: { id: string; email: string }, action: string, target: string, detail?: Record<string, unknown>) =>
    audit.record({ actor, action, target, detail, ip: context.clientIp });

  if (intent === "create") {
    const user = requireUser(request, context);
    if (!mayCreateNotebooks(user)) throw forbidden("Only analysts and admins can create notebooks.");
    const title = titleOrError(form.get("title"), String(form.get("defaultTitle") ?? "Untitled notebook"));
    if (typeof title !== "string") return title;
    const created = notebooks.create(user, title);
    record(user, "notebook.create", created.id);
    return redirect(`/notebooks/${created.id}`);
  }

  const id = String(form.get("id") ?? "");
  const back = String(form.get("back") ?? "") === "list" ? "/notebooks" : `/notebooks/${id}`;

  if (intent === "rename") {
    const { user } = requireNotebook(request, context, id, "write");
    const title = titleOrError(form.get("title"), "");
    if (typeof title !== "string") return title;
    notebooks.rename(id, title);
    record(user, "notebook.rename", id, { title });
    return redirect(back);
  }

  if (intent === "duplicate") {
    const { user, notebook } = requireNotebook(request, context, id, "read");
    if (!mayCreateNotebooks(user)) throw forbidden("Only analysts and admins can create notebooks.");
    const title = titleOrError(form.get("title"), notebook.title);
    if (typeof title !== "string") return title;
    const copy = notebooks.create(user, title);
    // The copy starts from the original's whole document (cells, names, sources, settings). Both hold the same seed
    // items, which merge rather than duplicate (collab/schema.ts seedUpdate).
    collab.applyUpdate(copy.id, collab.readState(id), user.id);
    record(user, "notebook.duplicate", copy.id, { from: id });
    return redirect(`/notebooks/${copy.id}`);
  }

  if (intent === "archive" || intent === "unarchive") {
    const { user } = requireNotebook(request, context, id, "manage");
    notebooks.setArchived(id, intent === "archive");
    // Open editors of an archived notebook become read-only: their sockets are closed with a code that lets the client
    // reconnect, and the new connection is authorized read-only.
    if (intent === "archive")
      for (const userId of notebooks.participants(id)) collab.closeUserSockets(userId, id, CLOSE_RECONNECT);
    record(user, `notebook.${intent}`, id);
    return redirect(back);
  }

  return data<NotebookActionError>({ error: "unknown-intent" }, { status: 400 });
}
