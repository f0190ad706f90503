/** Small measuring helpers shared by the collab bench's processes. */
import { machineInfo, round } from "../lib/machine.ts";

export { machineInfo, round };

import { monitorEventLoopDelay } from "node:perf_hooks";

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes of one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Event-loop delay of this process since the last reset: a saturated process shows it here, not in its own timings. */
export function eventLoopMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  return {
    read: () => ({
      p50_ms: round(histogram.percentile(50) / 1e6, 2),
      p99_ms: round(histogram.percentile(99) / 1e6, 2),
      max_ms: round(histogram.max / 1e6, 2),
    }),
    reset: () => histogram.reset(),
  };
}

/** CPU time (user + system) of this process in milliseconds. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
