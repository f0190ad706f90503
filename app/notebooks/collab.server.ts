/**
 * The app's side of the co-editing server (collab/): who may open `/collab/:notebookId`, and persistence that also keeps
 * the notebook list's "recently changed" order current.
 */
import type { IncomingMessage } from "node:http";
import {
  type CollabPersistence,
  type CollabServer,
  type CollabUser,
  createCollabServer,
  createDrizzlePersistence,
} from "../../collab/index.server.ts";
import type { Db } from "../../db/index.ts";
import type { Sessions } from "../auth/sessions.server.ts";
import { createNotebookHistory } from "./history.server.ts";
import { canWrite, type NotebookStore } from "./store.server.ts";

/** How often at most a notebook's `updated_at` is rewritten while people type (one write per keystroke is waste). */
const TOUCH_INTERVAL_MS = 5_000;

/** Stores updates like `inner` and stamps the notebook as changed, at most every few seconds. */
export function touchingPersistence(
  inner: CollabPersistence,
  touch: (notebookId: string, userId: string) => void,
): CollabPersistence {
  const lastTouch = new Map<string, number>();
  return {
    load: (notebookId) => inner.load(notebookId),
    compact: (notebookId, state, upTo) => inner.compact(notebookId, state, upTo),
    appendUpdate(notebookId, update, userId) {
      const id = inner.appendUpdate(notebookId, update, userId);
      const now = Date.now();
      // Only people's edits count as changes; the server's own seed of a new notebook (userId null) does not.
      if (userId && now - (lastTouch.get(notebookId) ?? 0) >= TOUCH_INTERVAL_MS) {
        lastTouch.set(notebookId, now);
        try {
          touch(notebookId, userId);
        } catch {
          // The update is stored; a missed timestamp only affects the list's order.
        }
      }
      return id;
    },
  };
}

/**
 * The authorize hook of the collab server: the session cookie (the same validation as HTTP requests), then the
 * notebook role. Owners, admins and editors write; viewers read only (the server drops their updates); an archived
 * notebook is read-only for everyone; anyone else is refused (null → 403, a thrown 401 for no session).
 */
export function createCollabAuthorizer(sessions: Sessions, notebooks: NotebookStore, trustProxy: boolean) {
  return async function authorizeCollab(
    req: IncomingMessage,
    notebookId: string,
    phase: "upgrade" | "recheck" = "upgrade",
  ): Promise<CollabUser | null> {
    const forwardedHttps =
      trustProxy &&
      String(req.headers["x-forwarded-proto"] ?? "")
        .split(",")[0]
        ?.trim() === "https";
    const https = forwardedHttps || Boolean((req.socket as { encrypted?: boolean }).encrypted);
    const { user } = await sessions.validate(req.headers.cookie ?? null, https, { slide: phase === "upgrade" });
    if (!user) throw Object.assign(new Error("no session"), { status: 401 });
    const role = notebooks.roleOf(user, notebookId);
    if (!role) return null;
    const archived = notebooks.get(notebookId)?.archivedAt != null;
    return { userId: user.id, name: user.name, canWrite: canWrite(role) && !archived };
  };
}

export function createNotebookCollab(options: {
  db: Db;
  sessions: Sessions;
  notebooks: NotebookStore;
  trustProxy: boolean;
}): CollabServer {
  const history = createNotebookHistory(options.db, {
    readState: (id) => server.readState(id),
    applyUpdate: (id, update, userId) => server.applyUpdate(id, update, userId),
  });
  const server: CollabServer = createCollabServer({
    persistence: touchingPersistence(createDrizzlePersistence(options.db), (id, userId) => {
      options.notebooks.touch(id);
      // Automatic versions while people edit (at most one per AUTO_VERSION_INTERVAL_MS). Deferred: the persistence hook
      // runs before the update is applied, and reading the document from inside it would miss that update.
      setImmediate(() => {
        try {
          history.autoSave(id, userId);
        } catch (error) {
          console.warn(`[collab] notebook ${id}: automatic version failed (${error})`);
        }
      });
    }),
    authorize: createCollabAuthorizer(options.sessions, options.notebooks, options.trustProxy),
  });
  return server;
}
