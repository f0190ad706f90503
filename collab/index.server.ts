/** Node-only public face of collab/: the websocket server and its SQLite persistence (never bundled for browsers). */

export { type CollabPersistence, createDrizzlePersistence, type StoredDocument } from "./persistence.ts";
export {
  CLOSE_ACCESS_REVOKED,
  CLOSE_MALFORMED,
  CLOSE_STORAGE_FAILED,
  type CollabServer,
  type CollabServerOptions,
  type CollabUser,
  createCollabServer,
} from "./server.ts";
