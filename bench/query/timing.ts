/** How every engine is timed, the same way: one first (cold) run, then `warmRuns` runs whose median is the figure. */
import type { Checksum } from "./queries.ts";

export interface QueryTiming {
  /** First run: includes reading the data (HTTP for the WASM engines, page cache for native). */
  firstMs: number;
  /** Median of the warm runs: the engine's compute speed once the data it needs is in memory. */
  medianMs: number;
  runsMs: number[];
  check: Checksum;
}

/** A run may report its own time (the browser times inside the page, without the DevTools round trip). */
export type Measured = Checksum | { check: Checksum; ms: number };

export async function timeQuery(warmRuns: number, run: () => Promise<Measured>): Promise<QueryTiming> {
  const once = async () => {
    const started = performance.now();
    const out = await run();
    const elapsed = performance.now() - started;
    return "ms" in out ? out : { check: out, ms: elapsed };
  };
  const first = await once();
  const check = first.check;
  const firstMs = first.ms;
  const runsMs: number[] = [];
  for (let i = 0; i < warmRuns; i++) runsMs.push((await once()).ms);
  return { firstMs: round(firstMs, 1), medianMs: round(median(runsMs), 1), runsMs: runsMs.map((ms) => round(ms, 1)), check };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
