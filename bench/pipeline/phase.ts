/**
 * Child-process entry: `node --import tsx bench/pipeline/phase.ts <pipeline|reference|profile|sketch> <csv> <result.json>`.
 * run.ts starts one process per phase so each one's peak RSS (and DuckDB's memory) is its own, not left over from the
 * phase before.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { GeneratedCsv } from "./generate.ts";
import type { PhaseResult } from "./phase-result.ts";
import { pipelinePhase } from "./pipeline-phase.ts";
import { profilePhase } from "./profile-phase.ts";
import { referencePhase } from "./reference-phase.ts";
import { sketchPhase } from "./sql-path-sketch.ts";

const PHASES: Record<string, (csv: GeneratedCsv) => Promise<PhaseResult>> = {
  pipeline: pipelinePhase,
  reference: referencePhase,
  profile: profilePhase,
  sketch: sketchPhase,
};

const [name, csvPath, resultPath] = process.argv.slice(2);
const phase = PHASES[name];
if (!phase || !csvPath || !resultPath) {
  console.error("usage: phase.ts <pipeline|reference|profile|sketch> <csv> <result.json>");
  process.exit(2);
}
const csv = { ...(JSON.parse(readFileSync(`${csvPath}.meta.json`, "utf8")) as GeneratedCsv), csvPath };
const result = await phase(csv);
writeFileSync(resultPath, JSON.stringify(result));
