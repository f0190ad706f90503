/**
 * Where notebook documents live: a snapshot (compacted state) plus the updates appended after it.
 * The interface is synchronous on purpose: the server appends an update and only then applies and broadcasts it, all
 * within one message handler, so no other message can slip in between (better-sqlite3 writes are synchronous).
 */
import { and, asc, eq, gt, lte } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { notebookSnapshots, notebookUpdates } from "../db/schema/notebooks.ts";

export interface StoredDocument {
  snapshot: Uint8Array | null;
  /** Updates after the snapshot, oldest first. */
  updates: { id: number; update: Uint8Array }[];
}

export interface CollabPersistence {
  load(notebookId: string): StoredDocument;
  /** Appends durably and returns the update's id (ids increase). */
  appendUpdate(notebookId: string, update: Uint8Array, userId: string | null): number;
  /** In one transaction: store `state` as the snapshot covering every update with id ≤ upToUpdateId, delete those. */
  compact(notebookId: string, state: Uint8Array, upToUpdateId: number): void;
}

export function createDrizzlePersistence(db: Db): CollabPersistence {
  return {
    load(notebookId) {
      const snap = db.select().from(notebookSnapshots).where(eq(notebookSnapshots.notebookId, notebookId)).get();
      const after = snap?.upToUpdateId ?? 0;
      const rows = db
        .select({ id: notebookUpdates.id, update: notebookUpdates.update })
        .from(notebookUpdates)
        .where(and(eq(notebookUpdates.notebookId, notebookId), gt(notebookUpdates.id, after)))
        .orderBy(asc(notebookUpdates.id))
        .all();
      return {
        snapshot: snap ? new Uint8Array(snap.state) : null,
        updates: rows.map((r) => ({ id: r.id, update: new Uint8Array(r.update) })),
      };
    },

    appendUpdate(notebookId, update, userId) {
      const row = db
        .insert(notebookUpdates)
        .values({ notebookId, update: Buffer.from(update), userId, createdAt: new Date() })
        .returning({ id: notebookUpdates.id })
        .get();
      return row.id;
    },

    compact(notebookId, state, upToUpdateId) {
      db.transaction((tx) => {
        const values = { notebookId, state: Buffer.from(state), upToUpdateId, createdAt: new Date() };
        tx.insert(notebookSnapshots)
          .values(values)
          .onConflictDoUpdate({ target: notebookSnapshots.notebookId, set: values })
          .run();
        tx.delete(notebookUpdates)
          .where(and(eq(notebookUpdates.notebookId, notebookId), lte(notebookUpdates.id, upToUpdateId)))
          .run();
      });
    },
  };
}
