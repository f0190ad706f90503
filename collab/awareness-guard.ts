/**
 * Presence is untrusted input too. Before an awareness update from a socket is applied, entries for awareness client
 * ids that another user's socket announced are dropped (nobody can rewrite or erase someone else's cursor), a socket
 * may hold only a few ids, and the `user` shown to others gets the authorized name and id (nobody can appear as
 * someone else). Encoding as in y-protocols/awareness: count, then (clientID, clock, JSON state) per entry.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Connection } from "./shared-doc.ts";

/** y-websocket clients use one id per document; a few more allow for reconnecting tabs. */
const MAX_IDS_PER_CONNECTION = 8;

interface Entry {
  clientId: number;
  clock: number;
  state: unknown;
}

function decodeEntries(update: Uint8Array): Entry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ clientId, clock, state: JSON.parse(decoding.readVarString(decoder)) });
  }
  return entries;
}

function encodeEntries(entries: Entry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

/** The part of `update` this connection may apply, or null when nothing is left. Throws when malformed. */
export function guardAwarenessUpdate(update: Uint8Array, conn: Connection, connections: Iterable<Connection>): Uint8Array | null {
  const others = [...connections].filter((c) => c !== conn);
  let held = conn.awarenessIds.size;
  const allowed = decodeEntries(update).filter((entry) => {
    if (others.some((c) => c.awarenessIds.has(entry.clientId) && c.user.userId !== conn.user.userId)) return false;
    if (conn.awarenessIds.has(entry.clientId)) return true;
    if (held >= MAX_IDS_PER_CONNECTION) return false;
    held++;
    return true;
  });
  for (const entry of allowed) {
    const state = entry.state as { user?: unknown } | null;
    if (state && typeof state === "object" && state.user && typeof state.user === "object") {
      state.user = { ...state.user, name: conn.user.name, id: conn.user.userId };
    }
  }
  return allowed.length > 0 ? encodeEntries(allowed) : null;
}

/** Ids a closing connection announced that no other live connection (the same user reconnecting) still holds. */
export function idsToRemove(conn: Connection, connections: Iterable<Connection>): number[] {
  const others = [...connections].filter((c) => c !== conn);
  return [...conn.awarenessIds].filter((id) => !others.some((c) => c.awarenessIds.has(id)));
}
