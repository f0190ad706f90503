/**
 * The notebook's Yjs document in the page: connected to /collab/:id (collab/client.ts), kept in IndexedDB for offline
 * edits, re-read into plain cell data on every change. Browser only: connects in an effect, never during SSR.
 */
import { useEffect, useState } from "react";
import type * as Y from "yjs";
import {
  type CellData,
  type CollabStatus,
  connectNotebook,
  getMeta,
  type NotebookConnection,
  readCells,
  setCellName,
} from "../../../collab/index.ts";
import { nextDefaultName } from "../../../kernel/graph/index.ts";

export type RunModeSetting = "automatic" | "manual";

export interface NotebookDocState {
  connection: NotebookConnection | null;
  doc: Y.Doc | null;
  cells: CellData[];
  runMode: RunModeSetting;
  status: CollabStatus;
  /** The document has content to show (from the server or from this device's copy). */
  loaded: boolean;
}

function hue(userId: string): number {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** A stable presence colour per user. */
export function userColor(userId: string): string {
  return `hsl(${hue(userId)} 65% 42%)`;
}

/** The same colour, translucent: remote selections (y-codemirror.next would append "33" to an hsl() and break it). */
export function userColorLight(userId: string): string {
  return `hsl(${hue(userId)} 65% 42% / 0.22)`;
}

export function collabUrl(location: Location): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/collab`;
}

/** SQL cells need a name to be selected from: unnamed ones (a new notebook's first cell) get the next `cellN`. */
function nameUnnamedCells(doc: Y.Doc): void {
  const cells = readCells(doc);
  const names = cells.map((c) => c.name).filter(Boolean);
  for (const cell of cells) {
    if (cell.kind !== "sql" || cell.name) continue;
    const name = nextDefaultName(names);
    names.push(name);
    setCellName(doc, cell.id, name);
  }
}

export function useNotebookDoc(notebookId: string, user: { id: string; name: string }, canEdit: boolean): NotebookDocState {
  const [state, setState] = useState<NotebookDocState>({
    connection: null,
    doc: null,
    cells: [],
    runMode: "automatic",
    status: "reconnecting",
    loaded: false,
  });

  useEffect(() => {
    const connection = connectNotebook({
      serverUrl: collabUrl(window.location),
      notebookId,
    });
    // Presence: set here rather than through connectNotebook's `user` option, which has no field for the selection
    // colour. The server replaces name and id with the signed-in user's anyway.
    connection.awareness.setLocalStateField("user", {
      name: user.name,
      id: user.id,
      color: userColor(user.id),
      colorLight: userColorLight(user.id),
    });
    const { doc } = connection;
    let loaded = false;
    const read = () => {
      const mode = getMeta(doc).get("runMode");
      setState({
        connection,
        doc,
        cells: readCells(doc),
        runMode: mode === "manual" ? "manual" : "automatic",
        status: connection.status.get(),
        loaded,
      });
    };
    const markLoaded = () => {
      if (!loaded && (connection.provider.synced || readCells(doc).length > 0)) {
        loaded = true;
        if (canEdit) nameUnnamedCells(doc);
        read();
      }
    };
    const onTransaction = () => {
      // Named after the transaction, not inside its observer (a nested change would re-enter this handler).
      if (loaded && canEdit && readCells(doc).some((c) => c.kind === "sql" && !c.name))
        queueMicrotask(() => nameUnnamedCells(doc));
      read();
    };
    doc.on("afterTransaction", onTransaction);
    const unsubscribe = connection.status.subscribe(read);
    const onSync = (synced: boolean) => {
      if (synced) markLoaded();
    };
    connection.provider.on("sync", onSync);
    void connection.whenLocalLoaded.then(markLoaded);
    read();
    return () => {
      doc.off("afterTransaction", onTransaction);
      connection.provider.off("sync", onSync);
      unsubscribe();
      connection.destroy();
    };
  }, [notebookId, user.id, user.name, canEdit]);

  return state;
}
