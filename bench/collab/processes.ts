/** Starting the bench's server and editor processes, and the clock check between them. */
import { Child } from "./child.ts";
import { now, round } from "./measure.ts";

export interface ServerStats {
  t: number;
  cpuMs: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  bytesIn: number;
  bytesOut: number;
  sockets: number;
  storedUpdates: number;
  storedBytes: number;
  loadedNotebooks: number;
  loopDelay: { p50_ms: number; p99_ms: number; max_ms: number };
}

export async function startServer(dataDir: string, flags: string[] = []) {
  const { child, hello } = await Child.start("server-process.ts", [dataDir], ["--expose-gc", ...flags]);
  return {
    child,
    collabUrl: `ws://127.0.0.1:${Number(hello.port)}/collab`,
    stats: async (gc = false) => (await child.request("stats", { gc })) as unknown as ServerStats,
  };
}

export async function startEditors(count: number): Promise<Child[]> {
  return Promise.all(Array.from({ length: count }, async () => (await Child.start("editor-process.ts", [])).child));
}

/** Splits `names` round-robin over `parts` lists. */
export function spread<T>(items: T[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  for (const [i, item] of items.entries()) out[i % parts].push(item);
  return out;
}

/**
 * How far each child's clock is from ours (ms), from the round trip with the smallest delay. Latencies join send and
 * receive times taken in different processes, so this bounds the error that adds.
 */
export async function clockOffsets(children: Child[]): Promise<number[]> {
  const offsets: number[] = [];
  for (const child of children) {
    let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
    for (let i = 0; i < 7; i++) {
      const t0 = now();
      const { t } = await child.request("clock");
      const t1 = now();
      if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: Number(t) - (t0 + t1) / 2 };
    }
    offsets.push(round(best.offset, 3));
  }
  return offsets;
}

export async function killAll(children: Child[]): Promise<void> {
  await Promise.all(children.map((child) => child.kill()));
}
