/** What every bench result records about the machine (DESIGN.md "Testing and measuring"), and number rounding. */
import os from "node:os";

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memory_gb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    /** The machine is shared: the 1-minute load average when it was read says how busy it already was. */
    load_avg_1m: round(os.loadavg()[0], 2),
  };
}
