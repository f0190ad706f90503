/** Browser-safe public face of collab/: the notebook document schema and the client connection. */

export {
  type CollabStatus,
  connectNotebook,
  type NotebookConnection,
  type NotebookConnectionOptions,
  STATUS_LABELS,
} from "./client.ts";
export { keyBetween } from "./order-keys.ts";
export * from "./schema.ts";
