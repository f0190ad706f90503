/**
 * A collab server in its own process, so a test can kill -9 it.
 * Usage: node --import tsx tests/collab/server-process.ts <dataDir> <port|0> <notebookId>...
 * Prints one JSON line {"port": n} once listening.
 */
import { startTestServer } from "./harness.ts";

const [dataDir, port, ...notebookIds] = process.argv.slice(2);
const server = await startTestServer(dataDir, notebookIds, { port: Number(port), compactAfterUpdates: 50, compactDelayMs: 200 });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
