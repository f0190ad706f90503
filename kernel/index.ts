/**
 * Notebook execution without React or Remix. Browser-safe: the Node engine (tests, scripts) is imported from
 * `kernel/engine/node.ts` so that bundles for the browser never pull in node:worker_threads.
 */
export * from "./engine/index.ts";
export * from "./graph/index.ts";
export * from "./runtime/index.ts";
