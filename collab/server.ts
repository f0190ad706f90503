/**
 * The collaboration server: the y-websocket protocol (sync step 1/2, updates, awareness — y-protocols encoding) on
 * sockets the app hands over from its HTTP server's `upgrade` event. Hooks in the spirit of Hocuspocus:
 * authorize (before the upgrade) → load (once per document) → change (stored, then applied and broadcast) → compact.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { guardAwarenessUpdate } from "./awareness-guard.ts";
import type { CollabPersistence } from "./persistence.ts";
import {
  type CollabUser,
  type Connection,
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  SharedDoc,
  StorageError,
  send,
} from "./shared-doc.ts";

export type { CollabUser } from "./shared-doc.ts";

export interface CollabServerOptions {
  persistence: CollabPersistence;
  /**
   * Who may open `notebookId`: a user (canWrite false = viewer) or null (refused with 403). Throwing something with a
   * numeric `status` (an Error or a Response, as route guards throw) refuses with 401 for redirects and 401, with
   * that status for other 4xx, else 500.
   */
  authorize: (req: IncomingMessage, notebookId: string, phase?: "upgrade" | "recheck") => Promise<CollabUser | null>;
  /**
   * Every open socket is authorized again this often (phase "recheck"): a session that expired or was signed out, a
   * disabled user or a removed role closes the socket; a role lowered to viewer makes it read-only. Default 5 s.
   */
  recheckIntervalMs?: number;
  /** Larger messages close the socket (ws close code 1009). Default 2 MB. */
  maxMessageBytes?: number;
  /** A document with no clients for this long leaves memory. Default 30 s. */
  idleUnloadMs?: number;
  compactAfterUpdates?: number;
  compactDelayMs?: number;
  /** Keep-alive ping period; a socket that misses a pong is closed. Default 30 s. */
  pingIntervalMs?: number;
  log?: (message: string) => void;
}

/** Close codes: 4400-4499 tell y-websocket clients not to reconnect (access is gone), others reconnect. */
export const CLOSE_ACCESS_REVOKED = 4403;
export const CLOSE_MALFORMED = 1007;
/** The update could not be stored (the client reconnects and sends it again). */
export const CLOSE_STORAGE_FAILED = 1011;

export interface CollabServer {
  /** Call from the HTTP server's `upgrade` event for `/collab/:notebookId`. Refuses before upgrading when not allowed. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, notebookId: string): Promise<void>;
  /** Closes the user's sockets (all notebooks, or one) — for revoked access, disabled users, sign-out. */
  closeUserSockets(userId: string, notebookId?: string, code?: number): number;
  /** The current document state as one update (loads it if needed) — for versions and publishing. */
  readState(notebookId: string): Uint8Array;
  /** Applies a server-side change (e.g. a version restore) as a stored, broadcast update. */
  applyUpdate(notebookId: string, update: Uint8Array, userId: string | null): void;
  /** Compacts one loaded document now (normally done in the background). */
  compact(notebookId: string): void;
  loadedNotebooks(): string[];
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 500: "Internal Server Error" };

function refuse(socket: Duplex, status: number): void {
  if (!socket.destroyed) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Refused"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }
}

function refusalStatus(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status !== "number") return 500;
  if (status >= 300 && status < 400) return 401;
  return status >= 400 && status < 500 ? status : 500;
}

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const log = options.log ?? ((m: string) => console.warn(`[collab] ${m}`));
  const idleUnloadMs = options.idleUnloadMs ?? 30_000;
  const docOptions = {
    persistence: options.persistence,
    compactAfterUpdates: options.compactAfterUpdates ?? 200,
    compactDelayMs: options.compactDelayMs ?? 2_000,
    log,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 2 * 1024 * 1024 });
  const docs = new Map<string, SharedDoc>();

  function getDoc(notebookId: string): SharedDoc {
    let shared = docs.get(notebookId);
    if (!shared) {
      shared = new SharedDoc(notebookId, docOptions);
      docs.set(notebookId, shared);
    }
    return shared;
  }

  function scheduleUnload(shared: SharedDoc): void {
    if (shared.conns.size > 0 || shared.idleTimer) return;
    shared.idleTimer = setTimeout(() => {
      shared.idleTimer = null;
      if (shared.conns.size > 0 || docs.get(shared.notebookId) !== shared) return;
      try {
        shared.compact();
      } catch (error) {
        log(`notebook ${shared.notebookId}: compaction before unload failed, updates kept (${error})`);
      }
      docs.delete(shared.notebookId);
      shared.destroy();
    }, idleUnloadMs);
    shared.idleTimer.unref();
  }

  function onMessage(shared: SharedDoc, conn: Connection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const messageType = decoding.readVarUint(decoder);
    if (messageType === MESSAGE_SYNC) {
      const syncType = decoding.readVarUint(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.writeSyncStep2(encoder, shared.doc, decoding.readVarUint8Array(decoder));
        send(conn.ws, encoding.toUint8Array(encoder));
      } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
        const update = decoding.readVarUint8Array(decoder);
        // Viewers' changes are dropped: never stored, applied or relayed.
        if (conn.user.canWrite) shared.ingest(update, conn.user.userId, conn.ws);
      } else {
        throw new Error(`unknown sync message type ${syncType}`);
      }
    } else if (messageType === MESSAGE_AWARENESS) {
      const update = guardAwarenessUpdate(decoding.readVarUint8Array(decoder), conn, shared.conns.values());
      if (update) awarenessProtocol.applyAwarenessUpdate(shared.awareness, update, conn.ws);
    } else {
      throw new Error(`unknown message type ${messageType}`);
    }
  }

  function setupConnection(ws: WebSocket, shared: SharedDoc, user: CollabUser, req: IncomingMessage): void {
    const { notebookId } = shared;
    const conn: Connection = { ws, user, req, awarenessIds: new Set(), alive: true };
    shared.conns.set(ws, conn);

    ws.on("message", (data: RawData, isBinary: boolean) => {
      // A socket already dropped (malformed earlier, access revoked) may still deliver buffered frames: ignore them.
      if (!shared.conns.has(ws)) return;
      try {
        if (!isBinary) throw new Error("text frame (the protocol is binary)");
        onMessage(shared, conn, toBytes(data));
      } catch (error) {
        const storage = error instanceof StorageError;
        log(`notebook ${notebookId}, user ${user.userId}: ${storage ? "" : "malformed message, "}socket closed (${error})`);
        ws.close(storage ? CLOSE_STORAGE_FAILED : CLOSE_MALFORMED, storage ? "not stored" : "malformed message");
        shared.removeConnection(ws);
      }
    });
    ws.on("pong", () => {
      conn.alive = true;
    });
    ws.on("error", (error) => log(`notebook ${notebookId}, user ${user.userId}: socket error (${error.message})`));
    ws.on("close", () => {
      shared.removeConnection(ws);
      scheduleUnload(shared);
    });

    // Sync step 1 (our state vector) so the client sends what we lack, then who is already here.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, shared.doc);
    send(ws, encoding.toUint8Array(encoder));
    const states = shared.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(shared.awareness, [...states.keys()]));
      send(ws, encoding.toUint8Array(aw));
    }
  }

  const pingTimer = setInterval(() => {
    for (const shared of docs.values()) {
      for (const conn of shared.conns.values()) {
        if (!conn.alive) {
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
      }
    }
  }, options.pingIntervalMs ?? 30_000);
  pingTimer.unref();

  function drop(shared: SharedDoc, conn: Connection, code: number) {
    shared.removeConnection(conn.ws);
    conn.ws.close(code, "access changed");
    // A peer that never answers the close handshake is cut off anyway.
    setTimeout(() => conn.ws.terminate(), 2_000).unref();
    scheduleUnload(shared);
  }

  let rechecking = false;
  const recheckTimer = setInterval(async () => {
    if (rechecking) return;
    rechecking = true;
    try {
      for (const shared of [...docs.values()]) {
        for (const conn of [...shared.conns.values()]) {
          let still: CollabUser | null;
          try {
            still = await options.authorize(conn.req, shared.notebookId, "recheck");
          } catch {
            still = null;
          }
          if (!shared.conns.has(conn.ws)) continue;
          if (!still || still.userId !== conn.user.userId) drop(shared, conn, CLOSE_ACCESS_REVOKED);
          else conn.user = { ...conn.user, canWrite: still.canWrite };
        }
      }
    } finally {
      rechecking = false;
    }
  }, options.recheckIntervalMs ?? 5_000);
  recheckTimer.unref();

  return {
    async handleUpgrade(req, socket, head, notebookId) {
      let user: CollabUser | null;
      try {
        user = await options.authorize(req, notebookId);
      } catch (error) {
        const status = refusalStatus(error);
        if (status === 500) log(`notebook ${notebookId}: authorize failed (${error})`);
        return refuse(socket, status);
      }
      if (!user) return refuse(socket, 403);
      if (socket.destroyed) return;
      const allowed = user;
      let shared: SharedDoc;
      try {
        shared = getDoc(notebookId); // loaded before the upgrade, so a database failure is still an HTTP 500
      } catch (error) {
        log(`notebook ${notebookId}: cannot load the document (${error})`);
        return refuse(socket, 500);
      }
      if (shared.idleTimer) clearTimeout(shared.idleTimer);
      shared.idleTimer = null;
      wss.handleUpgrade(req, socket, head, (ws) => setupConnection(ws, shared, allowed, req));
      scheduleUnload(shared); // no-op once connected; unloads it again if the handshake failed
    },

    closeUserSockets(userId, notebookId, code = CLOSE_ACCESS_REVOKED) {
      let closed = 0;
      for (const shared of docs.values()) {
        if (notebookId !== undefined && shared.notebookId !== notebookId) continue;
        for (const conn of [...shared.conns.values()]) {
          if (conn.user.userId !== userId) continue;
          closed++;
          drop(shared, conn, code);
        }
      }
      return closed;
    },

    readState(notebookId) {
      const shared = getDoc(notebookId);
      scheduleUnload(shared);
      return Y.encodeStateAsUpdate(shared.doc);
    },

    applyUpdate(notebookId, update, userId) {
      const shared = getDoc(notebookId);
      shared.ingest(update, userId, null);
      scheduleUnload(shared);
    },

    compact(notebookId) {
      docs.get(notebookId)?.compact();
    },

    loadedNotebooks: () => [...docs.keys()],

    async close() {
      clearInterval(pingTimer);
      clearInterval(recheckTimer);
      for (const shared of docs.values()) {
        for (const conn of shared.conns.values()) conn.ws.terminate();
        try {
          shared.compact();
        } catch (error) {
          log(`notebook ${shared.notebookId}: compaction on close failed, updates kept (${error})`);
        }
        shared.destroy();
      }
      docs.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
