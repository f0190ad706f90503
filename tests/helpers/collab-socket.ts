/** Real y-websocket clients for tests: a `ws` WebSocket that sends a session cookie, and polling until a condition holds. */
import WebSocket from "ws";

/** A WebSocket class (for y-websocket's WebSocketPolyfill) that sends `cookie` with its upgrade request. */
export function cookieSocket(cookie: string) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  };
}

/** Waits until `check` holds, failing with `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
