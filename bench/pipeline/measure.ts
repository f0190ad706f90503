/** Measuring helpers: resident memory while a phase runs, and the machine the figures came from. */
import { readFileSync } from "node:fs";
import os from "node:os";

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

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memory_gb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    /** The machine is shared: the 1-minute load average before the run says how busy it already was. */
    load_avg_1m: round(os.loadavg()[0], 2),
  };
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
