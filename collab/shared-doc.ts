import type { IncomingMessage } from "node:http";
/**
 * One notebook document held in server memory: loaded once from persistence, changed only through `ingest` (append
 * durably, then apply — the doc's update event then broadcasts), compacted in the background.
 */

import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { idsToRemove } from "./awareness-guard.ts";
import type { CollabPersistence } from "./persistence.ts";
import { seedUpdate } from "./schema.ts";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;

export interface CollabUser {
  userId: string;
  name: string;
  canWrite: boolean;
}

export interface Connection {
  ws: WebSocket;
  user: CollabUser;
  /** The upgrade request, kept to ask `authorize` again while the socket lives (revocation, expiry). */
  req: IncomingMessage;
  /** Awareness client ids this socket announced, removed when it closes. */
  awarenessIds: Set<number>;
  alive: boolean;
}

export interface SharedDocOptions {
  persistence: CollabPersistence;
  /** Compact once this many updates are stored after the snapshot. */
  compactAfterUpdates: number;
  /** Delay before a due compaction runs, so a burst of typing is compacted once. */
  compactDelayMs: number;
  log: (message: string) => void;
}

export class SharedDoc {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Map<WebSocket, Connection>();
  /** Highest update id stored for this document: every update up to it is applied in `doc`. */
  private lastUpdateId = 0;
  private uncompacted = 0;
  private compactTimer: NodeJS.Timeout | null = null;
  idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly notebookId: string,
    private readonly options: SharedDocOptions,
  ) {
    this.awareness.setLocalState(null);
    this.load();
    this.doc.on("update", (update: Uint8Array, origin: unknown) => this.broadcastUpdate(update, origin));
    this.awareness.on("update", this.onAwareness);
  }

  private load(): void {
    const { snapshot, updates } = this.options.persistence.load(this.notebookId);
    if (snapshot) Y.applyUpdate(this.doc, snapshot, "load");
    for (const { id, update } of updates) {
      // One bad row (written by a bug or an older version) must not make the whole notebook unreadable.
      try {
        Y.applyUpdate(this.doc, update, "load");
      } catch (error) {
        this.options.log(`notebook ${this.notebookId}, stored update ${id}: cannot be applied, skipped (${error})`);
      }
      this.lastUpdateId = id;
    }
    this.uncompacted = updates.length;
    if (!snapshot && updates.length === 0) {
      // A new notebook: its deterministic seed merges with any other copy of itself instead of duplicating the cell.
      this.append(seedUpdate(), null);
      Y.applyUpdate(this.doc, seedUpdate(), "load");
    }
    if (this.uncompacted >= this.options.compactAfterUpdates) this.scheduleCompaction();
  }

  private append(update: Uint8Array, userId: string | null): void {
    try {
      this.lastUpdateId = this.options.persistence.appendUpdate(this.notebookId, update, userId);
    } catch (error) {
      throw new StorageError(`notebook ${this.notebookId}: cannot store an update (${error})`);
    }
    this.uncompacted++;
    if (this.uncompacted >= this.options.compactAfterUpdates) this.scheduleCompaction();
  }

  /**
   * A change from a writer (or from the server itself when `origin` is null): validated, stored, then applied.
   * Throws on a malformed update before anything is stored.
   */
  ingest(update: Uint8Array, userId: string | null, origin: unknown): void {
    Y.decodeUpdate(update); // parses every struct: garbage throws here, before it can reach the database
    if (isEmptyUpdate(update)) return;
    this.append(update, userId);
    Y.applyUpdate(this.doc, update, origin);
  }

  private broadcastUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === "load") return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    const message = encoding.toUint8Array(encoder);
    // The sender already has its own update; everyone else gets it.
    for (const conn of this.conns.values()) if (conn.ws !== origin) send(conn.ws, message);
  }

  private onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const conn = origin ? this.conns.get(origin as WebSocket) : undefined;
    if (conn) {
      // `updated` too: the same user's new socket takes over an id its old, not yet closed socket announced.
      for (const id of added.concat(updated)) conn.awarenessIds.add(id);
      for (const id of removed) conn.awarenessIds.delete(id);
    }
    const changed = added.concat(updated, removed);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    const message = encoding.toUint8Array(encoder);
    for (const c of this.conns.values()) send(c.ws, message);
  };

  removeConnection(ws: WebSocket): void {
    const conn = this.conns.get(ws);
    if (!conn) return;
    this.conns.delete(ws);
    awarenessProtocol.removeAwarenessStates(this.awareness, idsToRemove(conn, this.conns.values()), null);
  }

  private scheduleCompaction(): void {
    if (this.compactTimer) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      try {
        this.compact();
      } catch (error) {
        this.options.log(`notebook ${this.notebookId}: compaction failed, updates kept (${error})`);
      }
    }, this.options.compactDelayMs);
    this.compactTimer.unref();
  }

  /** Writes the whole state as the snapshot and drops the updates it covers (one transaction). */
  compact(): void {
    if (this.uncompacted === 0) return;
    this.options.persistence.compact(this.notebookId, Y.encodeStateAsUpdate(this.doc), this.lastUpdateId);
    this.uncompacted = 0;
  }

  destroy(): void {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** The database refused a write: the change was not applied, the client keeps it and resends after reconnecting. */
export class StorageError extends Error {}

/** An update that carries nothing (no structs, no deletions): 0 clients, 0 delete-set entries. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

export function send(ws: WebSocket, message: Uint8Array): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(message, (error) => {
    if (error) ws.terminate();
  });
}
