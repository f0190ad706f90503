import type { RequestAuth } from "./auth/session-middleware.server.ts";
import type { Services } from "./services.server.ts";

declare module "@remix-run/node" {
  interface AppLoadContext {
    services: Services;
    auth: RequestAuth;
    /** Per-response nonce allowed by the Content-Security-Policy for Remix's inline scripts. */
    cspNonce: string;
    clientIp: string;
    https: boolean;
  }
}

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}
