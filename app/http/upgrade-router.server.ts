import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, params: Record<string, string>) => void;

interface Route {
  pattern: RegExp;
  keys: string[];
  handler: UpgradeHandler;
}

/** Refuses a websocket upgrade with a plain HTTP status, then closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

/**
 * Routes websocket upgrades by path (`/collab/:id`). Paths nobody registered are refused with 404, except those that
 * `passThrough` claims (Vite's HMR socket in development), which are left to their own listener.
 */
export function createUpgradeRouter(passThrough: (req: IncomingMessage) => boolean = () => false) {
  const routes: Route[] = [];
  return {
    register(path: string, handler: UpgradeHandler) {
      const keys: string[] = [];
      const source = path.replace(/:([A-Za-z_]+)/g, (_m, key: string) => {
        keys.push(key);
        return "([A-Za-z0-9_-]{1,128})";
      });
      routes.push({ pattern: new RegExp(`^${source}$`), keys, handler });
    },
    handle(req: IncomingMessage, socket: Duplex, head: Buffer) {
      if (passThrough(req)) return;
      const pathname = new URL(req.url ?? "/", "http://x").pathname;
      for (const route of routes) {
        const m = route.pattern.exec(pathname);
        if (m) {
          const params = Object.fromEntries(route.keys.map((k, i) => [k, m[i + 1]]));
          route.handler(req, socket, head, params);
          return;
        }
      }
      refuseUpgrade(socket, 404, "Not Found");
    },
  };
}
export type UpgradeRouter = ReturnType<typeof createUpgradeRouter>;
