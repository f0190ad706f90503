/** Measuring helpers: resident memory while a phase runs; the machine the figures came from is in bench/lib. */
import { readFileSync } from "node:fs";
import { machineInfo, round } from "../lib/machine.ts";

export { machineInfo, round };

const MB = 1024 * 1024;

export interface RssPeak {
  /** Highest `process.memoryUsage().rss` seen by the sampler. */
  peakMb: number;
  /** Kernel's high-water mark for the process (VmHWM): catches peaks between samples and while the event loop is busy. */
  hwmMb: number | null;
  samples: number;
}

/**
 * Samples RSS every `intervalMs`. The sampler runs on the event loop, so a long synchronous stretch (a harmonized batch)
 * delays samples; VmHWM from /proc covers that, and each phase runs in its own fresh process so the mark is its own.
 */
export function startRssSampler(intervalMs = 100): { stop(): RssPeak } {
  let peak = process.memoryUsage().rss;
  let samples = 1;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
    samples++;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const rss = process.memoryUsage().rss;
      if (rss > peak) peak = rss;
      return { peakMb: round(peak / MB, 1), hwmMb: vmHwmMb(), samples: samples + 1 };
    },
  };
}

/** The process's peak resident set size so far, from /proc (Linux); null elsewhere. */
export function vmHwmMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? round(Number(match[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

export function rssMb(): number {
  return round(process.memoryUsage().rss / MB, 1);
}
