import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { createMatcher, type MatchDecision, type UnmatchedEntry } from "../harmonize/locations/index.ts";
import { createHarmonizer } from "../harmonize/mapping/index.ts";
import { type DatasetFileSummary, publishVersion, writeDatasetFile } from "../publish/index.ts";
import type { PipelineSpec } from "./pipeline-spec.ts";
import { connectorFor } from "./registry.ts";
import type { Connector, FieldRow, LocationRow, Observation, Progress, RunIssue } from "./types.ts";

/** Scratch space of running runs, under the datasets folder; emptied at server start. */
export const RUNS_SCRATCH_DIR = ".runs";

/** How many issues a run record lists in full; all are counted. */
const MAX_LISTED_ISSUES = 1_000;

export interface PublishedInfo {
  version: number;
  filePath: string;
  summary: DatasetFileSummary;
  periodStart: string | null;
  periodEnd: string | null;
  /** Distinct locations with at least one observation (the file's `locations` table holds the whole hierarchy). */
  locationsCovered: number;
}

/** What the runner needs from the catalog: a version number, and a commit that makes the version visible atomically. */
export interface CatalogPort {
  nextVersion(): number;
  /** Runs inside the publish: after the file is durable, before the run ends. Throwing undoes the publish. */
  commit(info: PublishedInfo): void;
}

export interface RunOptions {
  datasetsDir: string;
  /** The workspace's canonical hierarchy that source locations are matched against. */
  locations: readonly LocationRow[];
  decisions: readonly MatchDecision[];
  catalog: CatalogPort;
  /** "preview" harmonizes everything and reports unmatched locations, but writes nothing. */
  mode?: "publish" | "preview";
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  fetch?: typeof fetch;
  connector?: Connector<unknown>;
}

export interface RunReport {
  status: "succeeded" | "failed" | "cancelled";
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  skippedBlank: number;
  issues: RunIssue[];
  issueCount: number;
  unmatched: { totalRows: number; distinctValues: number; entries: UnmatchedEntry[] };
  timings: Record<string, number>;
  version: number | null;
  error: string | null;
}

/** How users know the source: the file's name, or the DHIS2 server. */
function sourceName(spec: PipelineSpec): string {
  const config = spec.source.config as { name?: string; path?: string; baseUrl?: string };
  return config.name ?? (config.path ? path.basename(config.path) : (config.baseUrl ?? spec.source.kind));
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (error instanceof Error && error.name === "AbortError");
}

/**
 * One pipeline run: extract → harmonize → write the dataset file → publish atomically. Errors in single rows are
 * reported with their place and do not stop the run; a failure of the whole source, a cancellation or a run that yields
 * no observation publishes nothing, and the previous version stays served.
 */
export async function runPipeline(spec: PipelineSpec, options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const issues: RunIssue[] = [];
  let issueCount = 0;
  const report = (issue: RunIssue) => {
    issueCount++;
    if (issues.length < MAX_LISTED_ISSUES) issues.push(issue);
  };
  const counts = { rowsIn: 0, rowsOut: 0, rowsRejected: 0, skippedBlank: 0 };
  const progress = options.onProgress ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;

  const matcher = createMatcher(options.locations, {
    decisions: options.decisions,
    typeWords: spec.matching.typeWords,
    fuzzyThreshold: spec.matching.fuzzyThreshold,
  });
  const fields = spec.fields as FieldRow[];
  const harmonizer = createHarmonizer(spec.mapping, matcher, fields);
  const connector = options.connector ?? connectorFor(spec.source.kind);
  await mkdir(path.join(options.datasetsDir, RUNS_SCRATCH_DIR), { recursive: true });
  const tempDir = await mkdtemp(path.join(options.datasetsDir, RUNS_SCRATCH_DIR, "run-"));
  const covered = new Set<string>();
  let minPeriod: string | null = null;
  let maxPeriod: string | null = null;

  async function* observations(): AsyncGenerator<Observation[]> {
    const extractStart = Date.now();
    const batches = connector.extract(spec.source.config, {
      signal,
      fetch: options.fetch ?? fetch,
      tempDir,
      report,
      progress: (p) => progress({ ...p, phase: "extract", done: counts.rowsIn }),
    });
    for await (const batch of batches) {
      signal.throwIfAborted();
      counts.rowsIn += batch.records.length;
      const result = harmonizer.harmonize(batch.records);
      counts.rowsOut += result.observations.length;
      counts.rowsRejected += result.rejectedCount;
      counts.skippedBlank += result.skippedBlank;
      for (const r of result.rejected) report({ severity: "error", message: r.reason, place: r.place });
      for (const w of result.warnings) report(w);
      // Counted past the listed ones so the record's totals stay exact.
      issueCount += result.rejectedCount - result.rejected.length + result.warningCount - result.warnings.length;
      for (const o of result.observations) {
        covered.add(o.location_id);
        if (minPeriod === null || o.period_start < minPeriod) minPeriod = o.period_start;
        if (maxPeriod === null || o.period_end > maxPeriod) maxPeriod = o.period_end;
      }
      progress({ phase: "harmonize", done: counts.rowsIn, message: `${counts.rowsOut.toLocaleString("en")} observations` });
      yield result.observations;
    }
    timings.extract_harmonize_ms = Date.now() - extractStart;
  }

  const finish = (status: RunReport["status"], version: number | null, error: string | null): RunReport => {
    timings.total_ms = Date.now() - started;
    return {
      status,
      ...counts,
      issues,
      issueCount,
      unmatched: harmonizer.unmatched.toJSON(),
      timings,
      version,
      error,
    };
  };

  try {
    if (options.mode === "preview") {
      for await (const _ of observations()) {
        // Harmonize only: the unmatched report and the counts are the result.
      }
      return finish("succeeded", null, null);
    }
    const version = options.catalog.nextVersion();
    let summary: DatasetFileSummary | undefined;
    await publishVersion({
      datasetsDir: options.datasetsDir,
      slug: spec.dataset.slug,
      version,
      write: async (tmpPath) => {
        summary = await writeDatasetFile(
          tmpPath,
          { observations: observations(), locations: options.locations, fields },
          { signal, onProgress: (n) => progress({ phase: "write", done: n }) },
        );
        if (summary.observations === 0) {
          throw new Error(
            `${sourceName(spec)}: no observation could be made (${counts.rowsIn} rows read, ${counts.rowsRejected} rejected, ${counts.skippedBlank} blank): nothing was published`,
          );
        }
      },
      commit: (filePath) => {
        progress({ phase: "publish", done: counts.rowsOut });
        options.catalog.commit({
          version,
          filePath,
          summary: summary as DatasetFileSummary,
          periodStart: minPeriod,
          periodEnd: maxPeriod,
          locationsCovered: covered.size,
        });
      },
    });
    timings.write_publish_ms = Date.now() - started - (timings.extract_harmonize_ms ?? 0);
    return finish("succeeded", version, null);
  } catch (error) {
    if (isAbort(error, signal)) return finish("cancelled", null, "the run was cancelled; nothing was published");
    const message = error instanceof Error ? error.message : String(error);
    // Whole-source failures already name their file or URL; anything else gets the source's name in front.
    const named = message.includes(sourceName(spec)) ? message : `${sourceName(spec)}: ${message}`;
    return finish("failed", null, named);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}
