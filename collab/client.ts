/**
 * Client side of a notebook's collaboration (browser and Node): y-websocket's WebsocketProvider with reconnection,
 * IndexedDB persistence in the browser (offline edits survive a closed tab and merge on return), presence, and a
 * save status.
 *
 * "saved" means the server has stored everything we have. The server answers every sync step 1 with a step 2, in
 * order, and stores each update before it reads the next message. So after sending our changes we send a step 1
 * "probe": its step 2 reply proves the server processed — and durably stored — everything sent before it. State
 * vectors alone cannot tell: a deletion does not advance them.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { IndexeddbPersistence } from "y-indexeddb";
import type { Awareness } from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export type CollabStatus = "saved" | "saving" | "offline" | "reconnecting";

export const STATUS_LABELS: Record<CollabStatus, string> = {
  saved: "saved",
  saving: "saving…",
  offline: "offline — changes kept on this device",
  reconnecting: "reconnecting",
};

export interface NotebookConnectionOptions {
  /** The collab endpoint without the notebook id, e.g. `wss://example.org/collab`. */
  serverUrl: string;
  notebookId: string;
  doc?: Y.Doc;
  /** Presence: shown to the others (names and colours, cursors via y-codemirror.next). */
  user?: { name: string; color: string };
  /** Node 20 has no global WebSocket: pass `WebSocket` from `ws` (a subclass can add headers). */
  WebSocketPolyfill?: unknown;
  /** Several clients in one process (tests) must not sync through BroadcastChannel. */
  disableBc?: boolean;
  /** Keep the document in IndexedDB. Default: whenever IndexedDB exists (browsers). */
  offlineStore?: boolean;
  connect?: boolean;
  maxBackoffTime?: number;
  /** How often at most to ask the server to confirm our changes while typing. Default 150 ms. */
  ackIntervalMs?: number;
}

export interface NotebookConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  awareness: Awareness;
  status: { get(): CollabStatus; subscribe(listener: (status: CollabStatus) => void): () => void };
  /** Resolves once the server has stored everything this client has. */
  whenSaved(): Promise<void>;
  /** Resolves once the IndexedDB copy (if any) is loaded into the document. */
  whenLocalLoaded: Promise<void>;
  destroy(): void;
}

const MESSAGE_SYNC = 0;
type SyncHandler = (
  encoder: encoding.Encoder,
  decoder: decoding.Decoder,
  p: WebsocketProvider,
  emitSynced: boolean,
  t: number,
) => void;

export function connectNotebook(options: NotebookConnectionOptions): NotebookConnection {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(options.serverUrl, options.notebookId, doc, {
    connect: false,
    disableBc: options.disableBc ?? false,
    maxBackoffTime: options.maxBackoffTime ?? 2_500,
    // biome-ignore lint/suspicious/noExplicitAny: the ws class and the DOM WebSocket type differ only nominally
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill as any } : {}),
  });
  if (options.user) provider.awareness.setLocalStateField("user", options.user);

  const useIndexedDb = options.offlineStore ?? typeof indexedDB !== "undefined";
  const local = useIndexedDb ? new IndexeddbPersistence(`harmony-notebook-${options.notebookId}`, doc) : null;
  const whenLocalLoaded = local ? local.whenSynced.then(() => undefined) : Promise.resolve();

  // Counters of local changes: made, and confirmed stored by the server.
  let changes = 0;
  let acked = 0;
  // For each sync step 1 sent on the current socket, the change count it confirms once answered (-1: nothing).
  let awaitingReplies: number[] = [];
  let probeTimer: ReturnType<typeof setTimeout> | null = null;
  const listeners = new Set<(status: CollabStatus) => void>();
  let current: CollabStatus = "reconnecting";

  const compute = (): CollabStatus => {
    if (provider.wsconnected) return provider.synced && acked >= changes ? "saved" : "saving";
    return changes > acked ? "offline" : "reconnecting";
  };
  const refresh = () => {
    const next = compute();
    if (next === current) return;
    current = next;
    for (const listener of listeners) listener(next);
  };

  const sendProbe = () => {
    probeTimer = null;
    const ws = provider.ws;
    if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, doc);
    awaitingReplies.push(changes);
    ws.send(encoding.toUint8Array(encoder));
  };

  const original = provider.messageHandlers[MESSAGE_SYNC] as SyncHandler;
  provider.messageHandlers[MESSAGE_SYNC] = ((encoder, decoder, p, emitSynced, type) => {
    // Peek at the sync message type without consuming it; BroadcastChannel messages (emitSynced false) don't count.
    const peek = decoding.createDecoder(decoder.arr);
    peek.pos = decoder.pos;
    const syncType = emitSynced ? decoding.readVarUint(peek) : -1;
    original(encoder, decoder, p, emitSynced, type);
    if (syncType === syncProtocol.messageYjsSyncStep2) {
      const confirmed = awaitingReplies.shift();
      if (confirmed !== undefined) acked = Math.max(acked, confirmed);
    } else if (syncType === syncProtocol.messageYjsSyncStep1) {
      // The provider sends its step 2 (our changes the server lacks) right after this handler returns.
      setTimeout(sendProbe, 0);
    }
    refresh();
  }) satisfies SyncHandler as never;

  provider.on("status", ({ status }) => {
    // The provider sends its own step 1 right after announcing "connected": its reply confirms nothing of ours.
    if (status === "connected") awaitingReplies = [-1];
    refresh();
  });
  provider.on("sync", refresh);

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    changes++;
    if (!probeTimer) probeTimer = setTimeout(sendProbe, options.ackIntervalMs ?? 150);
    refresh();
  };
  doc.on("update", onUpdate);

  if (options.connect !== false) provider.connect();

  return {
    doc,
    provider,
    awareness: provider.awareness,
    status: {
      get: () => current,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    whenSaved() {
      if (current === "saved") return Promise.resolve();
      return new Promise((resolve) => {
        const stop = (status: CollabStatus) => {
          if (status !== "saved") return;
          listeners.delete(stop);
          resolve();
        };
        listeners.add(stop);
      });
    },
    whenLocalLoaded,
    destroy() {
      if (probeTimer) clearTimeout(probeTimer);
      doc.off("update", onUpdate);
      listeners.clear();
      provider.destroy();
      local?.destroy();
    },
  };
}
