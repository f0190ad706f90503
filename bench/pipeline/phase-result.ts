import type { RssPeak } from "./measure.ts";

/** What one measured phase reports back to run.ts (each phase runs in its own process). */
export interface PhaseResult {
  phase: "pipeline" | "reference" | "profile" | "sketch";
  /** Wall time of the measured step only. */
  seconds: number;
  rows: number;
  rss: RssPeak;
  /** RSS just before the measured step (Node, tsx and the modules loaded). */
  baselineRssMb: number;
  /** Phase-specific numbers (breakdowns, file sizes), already rounded. */
  figures: Record<string, number>;
}
