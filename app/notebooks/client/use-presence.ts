/**
 * Who is in the notebook, from the collab awareness: each client's user (name and id as the server authorized them,
 * colour chosen per user id) and the cell they are in. Remote cursors inside editors are y-codemirror.next's business.
 */
import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";

export interface Peer {
  clientId: number;
  userId: string | null;
  name: string;
  color: string;
  /** The id of the cell the person last focused, if any. */
  cell: string | null;
  self: boolean;
}

/** The awareness field holding the cell a person is in. */
export const CELL_FIELD = "cell";

function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: { name?: unknown; color?: unknown; id?: unknown } }).user;
    if (!user || typeof user.name !== "string") continue;
    const cell = (state as Record<string, unknown>)[CELL_FIELD];
    peers.push({
      clientId,
      userId: typeof user.id === "string" ? user.id : null,
      name: user.name,
      color: typeof user.color === "string" ? user.color : "#555",
      cell: typeof cell === "string" ? cell : null,
      self: clientId === awareness.clientID,
    });
  }
  return peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

export function usePresence(awareness: Awareness | null): Peer[] {
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const update = () => setPeers(readPeers(awareness));
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness]);
  return peers;
}

/** One entry per person (several tabs of one user show once), this client first. */
export function distinctPeople(peers: Peer[]): Peer[] {
  const seen = new Set<string>();
  return peers.filter((p) => {
    const key = p.self ? "self" : (p.userId ?? `client:${p.clientId}`);
    if (seen.has(key) || (!p.self && peers.some((q) => q.self && q.userId && q.userId === p.userId))) return false;
    seen.add(key);
    return true;
  });
}
