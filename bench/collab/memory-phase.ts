/**
 * Open notebooks: `notebooks` notebooks (each with the same realistic content) opened by one client each, over a
 * few processes. Server memory per open notebook = (RSS with them open − RSS before, both after a full GC) ÷ count.
 * The baseline already has `warmup` other notebooks open, so one-time costs (code paths, JIT, buffers) are excluded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { now, round } from "./measure.ts";
import { killAll, spread, startEditors, startServer } from "./processes.ts";

export interface MemoryParams {
  notebooks: number;
  warmup: number;
  processes: number;
  contentCells: number;
}

export async function runMemoryPhase(p: MemoryParams) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-collab-mem-"));
  const server = await startServer(dataDir);
  const clients = await startEditors(p.processes);
  try {
    const ids = Array.from({ length: p.warmup + p.notebooks }, (_, i) => `open-${i}`);
    const { contentBytes } = await server.child.request("prepare", { ids, contentCells: p.contentCells }, 120_000);
    const open = async (which: string[]) => {
      const shares = spread(which, clients.length);
      await Promise.all(
        clients.map((c, i) =>
          Promise.all(
            // One client per notebook (the id doubles as the user name); 10 handshakes in flight per process.
            spread(shares[i], 10).map(async (lane) => {
              for (const id of lane) await c.request("connectOne", { url: `${server.collabUrl}/${id}`, name: id }, 60_000);
            }),
          ),
        ),
      );
    };
    await open(ids.slice(0, p.warmup));
    await sleep(1_000);
    const before = await server.stats(true);
    const started = now();
    await open(ids.slice(p.warmup));
    const openSeconds = (now() - started) / 1000;
    await sleep(2_000);
    const after = await server.stats(true);
    if (after.loadedNotebooks !== p.warmup + p.notebooks) {
      throw new Error(`memory phase: ${after.loadedNotebooks} notebooks loaded, expected ${p.warmup + p.notebooks}`);
    }
    const perNotebookKb = (after.rss - before.rss) / p.notebooks / 1024;
    const contentKb = Number(contentBytes) / 1024;
    return {
      kb_per_open_notebook: round(perNotebookKb, 1),
      kb_per_open_notebook_beyond_content: round(perNotebookKb - Number(contentKb), 1),
      content_kb_per_notebook: round(Number(contentKb), 2),
      heap_kb_per_open_notebook: round((after.heapUsed - before.heapUsed) / p.notebooks / 1024, 1),
      external_kb_per_open_notebook: round((after.external - before.external) / p.notebooks / 1024, 1),
      server_rss_before_mb: round(before.rss / 2 ** 20, 1),
      server_rss_open_mb: round(after.rss / 2 ** 20, 1),
      open_seconds: round(openSeconds, 2),
      sockets_open: after.sockets,
    };
  } finally {
    await killAll([...clients, server.child]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
