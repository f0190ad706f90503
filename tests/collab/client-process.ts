/**
 * One real y-websocket client in its own process, driven by JSON lines on stdin; answers JSON lines on stdout.
 * Usage: node --import tsx tests/collab/client-process.ts <collabUrl> <notebookId> <user>
 */
import { createInterface } from "node:readline";
import WebSocket from "ws";
import { connectNotebook } from "../../collab/client.ts";
import { addCell, getSource, moveCell, readCells } from "../../collab/schema.ts";

const [collabUrl, notebookId, user] = process.argv.slice(2);

class UserWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: { "x-user": user } });
  }
}

const conn = connectNotebook({
  serverUrl: collabUrl,
  notebookId,
  user: { name: user, color: "#336699" },
  WebSocketPolyfill: UserWebSocket,
  disableBc: true,
  maxBackoffTime: 300,
});
const { doc } = conn;

let typing: NodeJS.Timeout | null = null;
const tokens: string[] = [];

/** Types a token at the end of the cell every `intervalMs`; every `moveEvery`-th step moves a random cell instead. */
function startTyping(cellId: string, intervalMs: number, moveEvery: number): void {
  let step = 0;
  typing = setInterval(() => {
    step++;
    if (moveEvery > 0 && step % moveEvery === 0) {
      const cells = readCells(doc);
      const pick = cells[Math.floor(Math.random() * cells.length)];
      moveCell(doc, pick.id, Math.floor(Math.random() * cells.length));
      return;
    }
    const token = `<${user}.${tokens.length}>`;
    const text = getSource(doc, cellId);
    text.insert(text.length, token);
    tokens.push(token);
  }, intervalMs);
}

type Command = { id: number; cmd: string; [key: string]: unknown };

async function run(c: Command): Promise<Record<string, unknown>> {
  switch (c.cmd) {
    case "waitSaved":
      await conn.whenSaved();
      return {};
    case "read":
      return { cells: readCells(doc), status: conn.status.get() };
    case "insert": {
      const text = getSource(doc, String(c.cellId));
      text.insert(text.length, String(c.text));
      return {};
    }
    case "addCell":
      return { cellId: addCell(doc, Number(c.at ?? 0), { source: String(c.source ?? "") }) };
    case "startTyping":
      startTyping(String(c.cellId), Number(c.intervalMs), Number(c.moveEvery ?? 0));
      return {};
    case "stopTyping":
      if (typing) clearInterval(typing);
      return { tokens };
    case "disconnect":
      conn.provider.disconnect();
      return {};
    case "connect":
      conn.provider.connect();
      return {};
    case "exit":
      conn.destroy();
      setTimeout(() => process.exit(0), 10);
      return {};
    default:
      throw new Error(`unknown command ${c.cmd}`);
  }
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const command = JSON.parse(line) as Command;
  run(command).then(
    (result) => process.stdout.write(`${JSON.stringify({ id: command.id, ...result })}\n`),
    (error: Error) => process.stdout.write(`${JSON.stringify({ id: command.id, error: error.message })}\n`),
  );
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
