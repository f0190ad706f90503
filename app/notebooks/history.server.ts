/**
 * A notebook's history: named versions ("Save version"), automatic ones while it is edited, and restoring a version as
 * a new change that collaborators' later edits survive (restore-diff.ts). Each version is the whole document state as
 * the collab server holds it (`readState`), so a version includes every edit stored before it was taken.
 */
import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { users } from "../../db/schema/auth.ts";
import { notebookVersions } from "../../db/schema/notebooks.ts";
import { cellsOfState, restoreUpdate } from "./restore-diff.ts";

/** What history needs of the collab server (collab/index.server.ts CollabServer). */
export interface HistoryCollab {
  readState(notebookId: string): Uint8Array;
  applyUpdate(notebookId: string, update: Uint8Array, userId: string | null): void;
}

export interface VersionSummary {
  id: string;
  name: string | null;
  automatic: boolean;
  createdBy: string | null;
  authorName: string | null;
  createdAt: Date;
}

/** At most one automatic version per notebook in this much editing time. */
export const AUTO_VERSION_INTERVAL_MS = 10 * 60_000;
export const MAX_VERSION_NAME_LENGTH = 120;

/** A version name as stored: trimmed, inner whitespace collapsed; an error code otherwise. */
export function cleanVersionName(raw: unknown): { name: string } | { error: "empty" | "too-long" } {
  const name = String(raw ?? "")
    .replace(/\s+/g, " ")
    .trim();
  if (!name) return { error: "empty" };
  if (name.length > MAX_VERSION_NAME_LENGTH) return { error: "too-long" };
  return { name };
}

export function createNotebookHistory(db: Db, collab: HistoryCollab, now: () => Date = () => new Date()) {
  const summary = {
    id: notebookVersions.id,
    name: notebookVersions.name,
    automatic: notebookVersions.automatic,
    createdBy: notebookVersions.createdBy,
    authorName: users.name,
    createdAt: notebookVersions.createdAt,
  };

  function insert(notebookId: string, state: Uint8Array, name: string | null, userId: string | null): VersionSummary {
    const id = randomUUID();
    db.insert(notebookVersions)
      .values({
        id,
        notebookId,
        name,
        automatic: name === null,
        state: Buffer.from(state),
        createdBy: userId,
        createdAt: now(),
      })
      .run();
    return history.get(notebookId, id) as VersionSummary;
  }

  const history = {
    /** Newest first. */
    list(notebookId: string): VersionSummary[] {
      return db
        .select(summary)
        .from(notebookVersions)
        .leftJoin(users, eq(users.id, notebookVersions.createdBy))
        .where(eq(notebookVersions.notebookId, notebookId))
        .orderBy(desc(notebookVersions.createdAt))
        .all();
    },

    /** One version of THIS notebook (a version id of another notebook is not found, so ids cannot be probed). */
    get(notebookId: string, versionId: string): VersionSummary | undefined {
      return db
        .select(summary)
        .from(notebookVersions)
        .leftJoin(users, eq(users.id, notebookVersions.createdBy))
        .where(and(eq(notebookVersions.notebookId, notebookId), eq(notebookVersions.id, versionId)))
        .get();
    },

    /** The version's cells and settings, for showing it read-only. */
    read(notebookId: string, versionId: string) {
      const row = db
        .select({ state: notebookVersions.state })
        .from(notebookVersions)
        .where(and(eq(notebookVersions.notebookId, notebookId), eq(notebookVersions.id, versionId)))
        .get();
      return row ? cellsOfState(row.state) : undefined;
    },

    /** "Save version": the current document under a name. */
    save(notebookId: string, name: string, userId: string): VersionSummary {
      return insert(notebookId, collab.readState(notebookId), name, userId);
    },

    /**
     * Called while the notebook is edited: takes an automatic version unless one was taken in the last
     * AUTO_VERSION_INTERVAL_MS. Returns the new version, or null when it is too soon.
     */
    autoSave(notebookId: string, userId: string | null): VersionSummary | null {
      const last = db
        .select({ createdAt: notebookVersions.createdAt })
        .from(notebookVersions)
        .where(and(eq(notebookVersions.notebookId, notebookId), eq(notebookVersions.automatic, true)))
        .orderBy(desc(notebookVersions.createdAt))
        .limit(1)
        .get();
      if (last && now().getTime() - last.createdAt.getTime() < AUTO_VERSION_INTERVAL_MS) return null;
      return insert(notebookId, collab.readState(notebookId), null, userId);
    },

    /**
     * Restores a version: the difference from the current document to the version's cells, applied as one stored and
     * broadcast change by `userId`. Returns false when the version does not exist, or true (also when nothing differed).
     */
    restore(notebookId: string, versionId: string, userId: string): boolean {
      const row = db
        .select({ state: notebookVersions.state })
        .from(notebookVersions)
        .where(and(eq(notebookVersions.notebookId, notebookId), eq(notebookVersions.id, versionId)))
        .get();
      if (!row) return false;
      const update = restoreUpdate(collab.readState(notebookId), row.state);
      if (update) collab.applyUpdate(notebookId, update, userId);
      return true;
    },
  };
  return history;
}

export type NotebookHistory = ReturnType<typeof createNotebookHistory>;

/** The history of the app's notebooks (routes). */
export function historyOf(context: AppLoadContext): NotebookHistory {
  return createNotebookHistory(context.services.database.db, context.services.collab);
}
