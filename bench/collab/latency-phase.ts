/**
 * One co-editing size: `editors` lean clients over a few processes type ~5 keystrokes/s each into the one cell of
 * one notebook. Propagation latency of an edit = the last of all other editors' receive times − its send time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Child } from "./child.ts";
import { now, percentile, round } from "./measure.ts";
import { clockOffsets, killAll, type ServerStats, spread, startEditors, startServer } from "./processes.ts";

export interface LatencyParams {
  editors: number;
  processes: number;
  durationMs: number;
  warmupMs: number;
  intervalMs: number;
  cursors: boolean;
  /** Extra node flags for the server process (e.g. --cpu-prof while investigating). */
  serverFlags?: string[];
}

export async function runLatencyPhase(p: LatencyParams) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-collab-"));
  const server = await startServer(dataDir, p.serverFlags);
  const editors = await startEditors(Math.min(p.processes, p.editors));
  try {
    const notebookId = `bench-${p.editors}`;
    await server.child.request("prepare", { ids: [notebookId], contentCells: 0 });
    const names = Array.from({ length: p.editors }, (_, i) => `editor-${i}`);
    const url = `${server.collabUrl}`.replace(/\/collab$/, `/collab/${notebookId}`);
    const shares = spread(names, editors.length);
    await Promise.all(editors.map((e, i) => e.request("connect", { url, names: shares[i], concurrency: 10 }, 120_000)));
    const offsets = await clockOffsets(editors);

    const startAt = now() + 1_000;
    await Promise.all(
      editors.map((e) => e.request("type", { startAt, durationMs: p.durationMs, intervalMs: p.intervalMs, cursors: p.cursors })),
    );
    // Server figures from just before the typing to after every edit reached everyone (a saturated server answers
    // late and works on after the window, so only these two end points are reliable); RSS is sampled meanwhile.
    await sleepUntil(startAt - 50);
    await server.child.request("resetLoopDelay");
    const before = await server.stats();
    let peakRss = before.rss;
    while (now() < startAt + p.durationMs) {
      await sleepUntil(Math.min(now() + 500, startAt + p.durationMs));
      peakRss = Math.max(peakRss, (await server.stats()).rss);
    }
    await waitForDelivery(editors, p.editors, startAt + p.durationMs + 120_000);
    const results = await Promise.all(editors.map((e) => e.request("results", {}, 120_000)));
    const after = await server.stats();
    const summary = summarize(p, startAt, results);
    const busyMs = Math.max(p.durationMs, summary.last_delivery_at - startAt);
    return { ...summary, ...serverFigures(before, after, busyMs, Math.max(peakRss, after.rss)), clock_offsets_ms: offsets };
  } finally {
    await Promise.allSettled(editors.map((e) => e.request("close", {}, 10_000)));
    await killAll(editors);
    await server.child.kill(p.serverFlags?.length ? "SIGTERM" : "SIGKILL"); // SIGTERM lets a profile be written
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Results = Record<string, unknown>;

function summarize(p: LatencyParams, startAt: number, results: Results[]) {
  const sent = new Map<string, number>();
  const received = new Map<string, { last: number; count: number }>();
  for (const r of results) {
    for (const [key, t] of r.sent as [string, number][]) sent.set(key, t);
    for (const [key, last, count] of r.received as [string, number, number][]) {
      const entry = received.get(key);
      if (entry) {
        entry.count += count;
        entry.last = Math.max(entry.last, last);
      } else received.set(key, { last, count });
    }
  }
  const measuredFrom = startAt + p.warmupMs;
  const latencies: number[] = [];
  let measured = 0;
  let incomplete = 0;
  let lastDelivery = 0;
  for (const r of received.values()) if (r.last > lastDelivery) lastDelivery = r.last;
  for (const [key, t] of sent) {
    if (t < measuredFrom) continue;
    measured++;
    const r = received.get(key);
    if (!r || r.count < p.editors - 1) incomplete++;
    else latencies.push(r.last - t);
  }
  latencies.sort((a, b) => a - b);
  const clientCpuMs = results.reduce((sum, r) => sum + Number(r.cpuMs), 0);
  return {
    edits_total: sent.size,
    edits_measured: measured,
    edits_not_received_by_all: incomplete,
    keystrokes_per_s_per_editor: round(sent.size / (p.durationMs / 1000) / p.editors, 2),
    p50_ms: round(percentile(latencies, 50), 2),
    p95_ms: round(percentile(latencies, 95), 2),
    p99_ms: round(percentile(latencies, 99), 2),
    max_ms: round(latencies.at(-1) ?? Number.NaN, 2),
    clients_cpu_pct: round((clientCpuMs / (p.durationMs + 3_000)) * 100, 1),
    clients_loop_delay_p99_ms: Math.max(...results.map((r) => Number((r.loopDelay as { p99_ms: number }).p99_ms))),
    last_delivery_at: lastDelivery,
    probes_answered: results.reduce((sum, r) => sum + Number(r.probesAnswered), 0),
  };
}

function serverFigures(first: ServerStats, last: ServerStats, busyMs: number, peakRss: number) {
  const seconds = busyMs / 1000;
  const storedUpdates = last.storedUpdates - first.storedUpdates;
  const socketBytes = last.bytesIn + last.bytesOut - first.bytesIn - first.bytesOut;
  return {
    // CPU share over the typing, or longer if the server was still relaying when the typing stopped.
    server_cpu_pct: round(((last.cpuMs - first.cpuMs) / busyMs) * 100, 1),
    // CPU the server spends per keystroke (store, apply, relay to N−1, awareness to N, probe replies).
    server_cpu_ms_per_edit: round((last.cpuMs - first.cpuMs) / Math.max(1, storedUpdates), 3),
    server_rss_mb: round(last.rss / 2 ** 20, 1),
    server_peak_rss_mb: round(peakRss / 2 ** 20, 1),
    server_loop_delay_p99_ms: last.loopDelay.p99_ms,
    server_edits_stored: storedUpdates,
    stored_bytes_per_edit: round((last.storedBytes - first.storedBytes) / Math.max(1, storedUpdates), 1),
    socket_bytes_per_edit: round(socketBytes / Math.max(1, storedUpdates), 0),
    socket_kb_per_s: round(socketBytes / 1024 / seconds, 1),
  };
}

/**
 * Waits until every edit reached every other editor (a saturated server still relays after the typing stops), or
 * until `deadline`; then 1 s more for stragglers. What is still missing then is counted as not received by all.
 */
async function waitForDelivery(editors: Child[], editorCount: number, deadline: number): Promise<void> {
  await sleepUntil(now() + 1_000);
  while (now() < deadline) {
    const progress = await Promise.all(editors.map((e) => e.request("progress")));
    const sent = progress.reduce((sum, r) => sum + Number(r.sent), 0);
    const receptions = progress.reduce((sum, r) => sum + Number(r.receptions), 0);
    if (receptions >= sent * (editorCount - 1)) break;
    await sleepUntil(now() + 1_000);
  }
  await sleepUntil(now() + 1_000);
}

function sleepUntil(t: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, t - now())));
}
