/**
 * A lean y-websocket client: the same wire protocol as collab/client.ts (sync step 1/2, updates, awareness, a sync
 * step 1 "probe" at most every 150 ms while typing so the server confirms storage), without WebsocketProvider.
 *
 * Why not connectNotebook: on this 2-core machine every client shares the cores with the server. With 100 editors
 * the clients together receive ~50,000 updates and ~50,000 awareness messages per second; applying them all in real
 * Y.Docs costs more CPU than the machine has, and the figure would measure the clients, not the server (in real life
 * every client has its own machine). So this client types into a real Y.Doc (real updates, real relative-position
 * cursors) but does not apply what others type: it reads the update's metadata (Y.parseUpdateMeta) to know which
 * edit arrived, and tracks the others' clocks so its probes carry a full state vector, as a real client's would.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { getSource, SEED_CELL_ID } from "../../collab/schema.ts";
import { now } from "./measure.ts";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const PROBE_INTERVAL_MS = 150;
const LETTERS = "abcdefghijklmnopqrstuvwxyz ";

/** An edit is known by its author's client id and the clock just past it (one keystroke = one clock tick). */
export type EditKey = string;
export const editKey = (client: number, clockEnd: number): EditKey => `${client}:${clockEnd}`;

export interface LeanClientEvents {
  /** Called when this client sends a keystroke (the local send time). */
  onSent(key: EditKey, t: number): void;
  /** Called when a live update from another client arrives (before anything else is done with it). */
  onReceived(key: EditKey, t: number): void;
}

export class LeanClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly ws: WebSocket;
  readonly synced: Promise<void>;
  /** Highest clock seen per remote client: our probes claim them, as a client that applied them would. */
  private readonly remoteClocks = new Map<number, number>();
  private probeTimer: NodeJS.Timeout | null = null;
  private isSynced = false;
  probesAnswered = 0;

  constructor(url: string, name: string, events: LeanClientEvents) {
    this.ws = new WebSocket(url, { headers: { "x-user": name }, perMessageDeflate: false });
    this.ws.binaryType = "nodebuffer";
    this.awareness.setLocalStateField("user", { name, color: "#336699" });
    let resolveSynced: () => void = () => {};
    let rejectSynced: (e: Error) => void = () => {};
    this.synced = new Promise((resolve, reject) => {
      resolveSynced = resolve;
      rejectSynced = reject;
    });
    this.ws.on("error", (error) => rejectSynced(new Error(`client ${name}: ${error.message}`)));
    this.ws.on("close", (code) => {
      if (!this.isSynced) rejectSynced(new Error(`client ${name}: closed (${code}) before syncing`));
    });
    this.ws.on("open", () => {
      this.sendSyncStep1(this.doc);
      this.sendAwareness();
    });
    this.ws.on("message", (data: Buffer) => {
      const t = now();
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return; // awareness of others: a real client would render it
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === syncProtocol.messageYjsUpdate) {
        const meta = Y.parseUpdateMeta(payload);
        for (const [client, to] of meta.to) {
          const from = meta.from.get(client) ?? 0;
          for (let clock = from + 1; clock <= to; clock++) events.onReceived(editKey(client, clock), t);
          if (to > (this.remoteClocks.get(client) ?? 0)) this.remoteClocks.set(client, to);
        }
      } else if (syncType === syncProtocol.messageYjsSyncStep1) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.writeSyncStep2(encoder, this.doc, payload);
        this.ws.send(encoding.toUint8Array(encoder));
      } else if (syncType === syncProtocol.messageYjsSyncStep2) {
        if (this.isSynced) {
          this.probesAnswered++;
          return;
        }
        Y.applyUpdate(this.doc, payload, "remote"); // the notebook as it is when we join
        this.isSynced = true;
        resolveSynced();
      }
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "remote") return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      const meta = Y.parseUpdateMeta(update);
      this.ws.send(encoding.toUint8Array(encoder));
      events.onSent(editKey(this.doc.clientID, meta.to.get(this.doc.clientID) ?? 0), now());
    });
  }

  /** One keystroke at this editor's own cursor (after its previous one), then the cursor in awareness, as an editor does. */
  type(cursors: boolean): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const text = getSource(this.doc, SEED_CELL_ID);
    const letter = LETTERS[Math.floor(Math.random() * LETTERS.length)];
    text.insert(text.length, letter);
    if (cursors) {
      const position = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length));
      this.awareness.setLocalStateField("cursor", { anchor: position, head: position });
      this.sendAwareness();
    }
    if (!this.probeTimer) {
      this.probeTimer = setTimeout(() => {
        this.probeTimer = null;
        this.sendSyncStep1(this.stateVectorWithRemote());
      }, PROBE_INTERVAL_MS);
    }
  }

  private stateVectorWithRemote(): Map<number, number> {
    const vector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    for (const [client, clock] of this.remoteClocks) if (clock > (vector.get(client) ?? 0)) vector.set(client, clock);
    return vector;
  }

  private sendSyncStep1(source: Y.Doc | Map<number, number>): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(source));
    this.ws.send(encoding.toUint8Array(encoder));
  }

  private sendAwareness(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    this.ws.send(encoding.toUint8Array(encoder));
  }

  close(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.awareness.destroy();
    this.ws.terminate();
    this.doc.destroy();
  }
}
