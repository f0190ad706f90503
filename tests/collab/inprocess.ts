/** Real y-websocket clients inside the test process (ws polyfill with a user header, no BroadcastChannel). */
import WebSocket from "ws";
import { connectNotebook, type NotebookConnection } from "../../collab/client.ts";

export function userSocket(user: string) {
  return class UserWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { "x-user": user } });
    }
  };
}

export function connectAs(collabUrl: string, notebookId: string, user: string): NotebookConnection {
  return connectNotebook({
    serverUrl: collabUrl,
    notebookId,
    user: { name: user, color: "#aa3300" },
    WebSocketPolyfill: userSocket(user),
    disableBc: true,
    offlineStore: false,
    maxBackoffTime: 300,
  });
}

/** A raw socket (no Yjs client): resolves once open, or rejects with the refused HTTP status. */
export function rawSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.binaryType = "nodebuffer";
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => reject(Object.assign(new Error("refused"), { status: res.statusCode })));
    ws.once("error", reject);
  });
}

export function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once("close", (code) => resolve(code)));
}
