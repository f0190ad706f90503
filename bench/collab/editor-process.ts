/**
 * Many lean editors in one process (the bench spreads them over a few processes).
 * Usage: node --import tsx bench/collab/editor-process.ts
 * Commands (JSON lines): connect {url, names, concurrency}, connectOne {url, name}, clock, type {startAt, durationMs, intervalMs, cursors}, progress,
 * results, close.
 * Per edit it keeps: the send time (edits typed here) and, over this process's receivers, how many received it and
 * when the last one did. The parent joins these across processes: "received by all others" = every receiver counted.
 */
import { serveCommands } from "./child.ts";
import { type EditKey, LeanClient } from "./lean-client.ts";
import { cpuMs, eventLoopMonitor, now } from "./measure.ts";

const clients: LeanClient[] = [];
const sent = new Map<EditKey, number>();
const received = new Map<EditKey, { last: number; count: number }>();
const timers: NodeJS.Timeout[] = [];
const loop = eventLoopMonitor();
let cpuAtStart = 0;
let typingEndsAt = 0;
let receptions = 0;

const events = {
  onSent: (key: EditKey, t: number) => sent.set(key, t),
  onReceived: (key: EditKey, t: number) => {
    receptions++;
    const entry = received.get(key);
    if (entry) {
      entry.count++;
      if (t > entry.last) entry.last = t;
    } else received.set(key, { last: t, count: 1 });
  },
};

async function connect(url: string, names: string[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const client = new LeanClient(url, names[next++], events);
      clients.push(client);
      await client.synced;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/**
 * Each editor types in slots `firstAt + k·intervalMs` from a random phase, so keystrokes are spread, not in lock-step
 * bursts. Counting slots (not "interval minus drift") matters: Node timers may fire up to 1 ms early, and a drift
 * formula then types twice in one slot. A process that falls behind skips the missed slots, as a typist would.
 */
function startTyping(startAt: number, durationMs: number, intervalMs: number, cursors: boolean): void {
  typingEndsAt = startAt + durationMs;
  for (const client of clients) {
    const firstAt = startAt + Math.random() * intervalMs;
    let slot = 0;
    const tick = () => {
      if (now() >= typingEndsAt) return;
      client.type(cursors);
      slot = Math.max(slot + 1, Math.floor((now() - firstAt) / intervalMs) + 1);
      timers.push(setTimeout(tick, Math.max(0, firstAt + slot * intervalMs - now())));
    };
    timers.push(setTimeout(tick, Math.max(0, firstAt - now())));
  }
  setTimeout(
    () => {
      cpuAtStart = cpuMs();
      loop.reset();
    },
    Math.max(0, startAt - now()),
  );
}

await serveCommands(
  async (cmd, c) => {
    switch (cmd) {
      case "connect":
        await connect(String(c.url), c.names as string[], Number(c.concurrency ?? 10));
        return { connected: clients.length };
      case "connectOne": {
        // One client on its own notebook (the open-notebooks phase): its URL is given whole.
        const client = new LeanClient(String(c.url), String(c.name), events);
        clients.push(client);
        await client.synced;
        return {};
      }
      case "clock":
        return { t: now() };
      case "type":
        startTyping(Number(c.startAt), Number(c.durationMs), Number(c.intervalMs), Boolean(c.cursors));
        return {};
      case "progress":
        return { sent: sent.size, receptions };
      case "results":
        return {
          sent: [...sent],
          received: [...received].map(([key, r]) => [key, r.last, r.count]),
          cpuMs: cpuMs() - cpuAtStart,
          loopDelay: loop.read(),
          probesAnswered: clients.reduce((sum, client) => sum + client.probesAnswered, 0),
        };
      case "close":
        for (const timer of timers) clearTimeout(timer);
        for (const client of clients) client.close();
        clients.length = 0;
        return {};
      default:
        throw new Error(`editor-process: unknown command '${cmd}'`);
    }
  },
  { ready: true, pid: process.pid },
);
