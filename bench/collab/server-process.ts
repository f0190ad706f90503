/**
 * The collab server under test, in its own process: real SQLite (openDatabase), the product's createCollabServer with
 * its default options, a plain node:http server on 127.0.0.1:0. BENCH ONLY: authorize accepts every client as an
 * editor (the `x-user` header names it).
 * Usage: node --expose-gc --import tsx bench/collab/server-process.ts <dataDir>
 * Commands (JSON lines): prepare {ids, contentCells}, stats {gc}, resetLoopDelay.
 */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as Y from "yjs";
import { createCollabServer, createDrizzlePersistence } from "../../collab/index.server.ts";
import { addCell, seedUpdate, setTitle } from "../../collab/schema.ts";
import { openDatabase } from "../../db/index.ts";
import { notebooks, users } from "../../db/schema/index.ts";
import { serveCommands } from "./child.ts";
import { cpuMs, eventLoopMonitor, now } from "./measure.ts";

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error("server-process.ts: usage: server-process.ts <dataDir>");

const database = openDatabase(dataDir);
const persistence = createDrizzlePersistence(database.db);
// Counts what the server stores per edit (the durable cost), without changing what it does.
const stored = { updates: 0, bytes: 0 };
const collab = createCollabServer({
  persistence: {
    ...persistence,
    appendUpdate(notebookId, update, userId) {
      stored.updates++;
      stored.bytes += update.byteLength;
      return persistence.appendUpdate(notebookId, update, userId);
    },
  },
  authorize: async (req) => {
    const user = String(req.headers["x-user"] ?? "editor");
    return { userId: user, name: user, canWrite: true };
  },
  log: (message) => process.stderr.write(`[collab] ${message}\n`),
});

// Bytes on the wire: every upgraded socket's counters, live ones read on demand, closed ones accumulated.
const sockets = new Set<Socket>();
const closedBytes = { in: 0, out: 0 };
const http = createServer((_req, res) => res.writeHead(404).end());
http.on("upgrade", (req, socket: Socket, head) => {
  const match = /^\/collab\/([^/?]+)/.exec(req.url ?? "");
  if (!match) return socket.destroy();
  sockets.add(socket);
  socket.once("close", () => {
    sockets.delete(socket);
    closedBytes.in += socket.bytesRead;
    closedBytes.out += socket.bytesWritten;
  });
  void collab.handleUpgrade(req, socket, head, decodeURIComponent(match[1]));
});
await new Promise<void>((resolve) => http.listen({ port: 0, host: "127.0.0.1", backlog: 2048 }, resolve));
const port = (http.address() as AddressInfo).port;
const loop = eventLoopMonitor();

/** A notebook of some realistic size: a title and `cells` SQL cells of a few hundred characters. */
function contentUpdate(cells: number): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, seedUpdate());
  setTitle(doc, "Malaria cases by district, 2019-2023");
  for (let i = 0; i < cells; i++) {
    const source =
      `-- step ${i}: monthly confirmed cases per district\nSELECT l.district, o.period_id, SUM(o.value) AS cases_${i}\n` +
      "FROM malaria.observations o JOIN malaria.locations l USING (location_id)\n" +
      `WHERE o.field_id = 'confirmed_cases' AND o.period_start >= DATE '2019-01-01' AND o.value > ${i}\n` +
      "GROUP BY ALL ORDER BY l.district, o.period_id";
    addCell(doc, i + 1, { kind: i % 4 === 3 ? "markdown" : "sql", name: `step_${i}`, source });
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function prepare(ids: string[], contentCells: number) {
  database.db
    .insert(users)
    .values({ id: "bench-owner", email: "bench@example.org", name: "Bench", role: "analyst", passwordHash: "x" })
    .onConflictDoNothing()
    .run();
  const content = contentCells > 0 ? contentUpdate(contentCells) : null;
  database.sqlite.transaction(() => {
    for (const id of ids) {
      database.db
        .insert(notebooks)
        .values({ id, title: `Bench ${id}`, ownerId: "bench-owner", updatedAt: new Date() })
        .onConflictDoNothing()
        .run();
      // Stored as the notebook's snapshot, exactly as compaction would have left it.
      if (content) persistence.compact(id, content, 0);
    }
  })();
  return { contentBytes: content?.byteLength ?? seedUpdate().byteLength };
}

function stats(gc: boolean) {
  if (gc && global.gc) {
    global.gc();
    global.gc();
  }
  const memory = process.memoryUsage();
  let bytesIn = closedBytes.in;
  let bytesOut = closedBytes.out;
  for (const s of sockets) {
    bytesIn += s.bytesRead;
    bytesOut += s.bytesWritten;
  }
  return {
    t: now(),
    cpuMs: cpuMs(),
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    bytesIn,
    bytesOut,
    sockets: sockets.size,
    storedUpdates: stored.updates,
    storedBytes: stored.bytes,
    loadedNotebooks: collab.loadedNotebooks().length,
    loopDelay: loop.read(),
  };
}

process.on("SIGTERM", () => process.exit(0));

await serveCommands(
  (cmd, c) => {
    switch (cmd) {
      case "prepare":
        return prepare(c.ids as string[], Number(c.contentCells ?? 0));
      case "stats":
        return stats(Boolean(c.gc));
      case "resetLoopDelay":
        loop.reset();
        return {};
      default:
        throw new Error(`server-process: unknown command '${cmd}'`);
    }
  },
  { port, pid: process.pid },
);
