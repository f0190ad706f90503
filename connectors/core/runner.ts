import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { createMatcher, type MatchDecision, type UnmatchedEntry } from "../harmonize/locations/index.ts";
import { createHarmonizer } from "../harmonize/mapping/index.ts";
import { type DatasetFileSummary, publishVersion, writeDatasetFile } from "../publish/index.ts";
import type { PipelineSpec } from "./pipeline-spec.ts";
import { connectorFor } from "./registry.ts";
import { type PreparedSqlRun, prepareCsvSqlPath } from "./sql-path/index.ts";
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
  /**
   * CSV sources: "auto" reads with DuckDB and harmonizes per distinct value when the file allows it (see sql-path/),
   * else row by row in JS; "js" always row by row. Both give the same report and dataset (sql-path tests run every
   * fixture through both). Default "auto": it is 2.5× faster on the pipeline benchmark; HARMONY_PIPELINE_ENGINE=js turns
   * it off for a whole process.
   */
  engine?: "auto" | "js";
  /** DuckDB memory_limit for the SQL path (default: a quarter of the machine's memory, 512 MB–4 GB). */
  memoryLimit?: string;
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

/** The run's engine: the option, else the process-wide HARMONY_PIPELINE_ENGINE ("auto" or "js"), else "auto". */
function engineOf(options: RunOptions): "auto" | "js" {
  return options.engine ?? (process.env.HARMONY_PIPELINE_ENGINE === "js" ? "js" : "auto");
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

  let sql: PreparedSqlRun | null = null;
  try {
    if (spec.source.kind === "csv" && !options.connector && engineOf(options) === "auto") {
      const tried = await prepareCsvSqlPath({
        sourceConfig: spec.source.config,
        mapping: harmonizer.mapping,
        matcher,
        fields,
        unmatched: harmonizer.unmatched,
        scratchDir: tempDir,
        signal,
        progress,
        memoryLimit: options.memoryLimit,
        maxListed: MAX_LISTED_ISSUES,
      });
      if ("prepared" in tried) sql = tried.prepared;
      else progress({ phase: "extract", done: 0, message: `read row by row (${tried.fallback})` });
    }
    if (sql) return await runSqlPath(sql);
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
        if (summary.observations === 0) throw new Error(noObservationMessage());
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
    sql?.close();
    await rm(tempDir, { recursive: true, force: true });
  }

  /** The SQL path's outcome, reported and published exactly as the JS path does. */
  async function runSqlPath(prepared: PreparedSqlRun): Promise<RunReport> {
    const { outcome } = prepared;
    Object.assign(timings, prepared.timings);
    counts.rowsIn = outcome.rowsIn;
    counts.rowsOut = outcome.rowsOut;
    counts.rowsRejected = outcome.rowsRejected;
    counts.skippedBlank = outcome.skippedBlank;
    for (const issue of outcome.issues) report(issue);
    issueCount += outcome.issueCount - outcome.issues.length;
    if (options.mode === "preview") return finish("succeeded", null, null);
    const version = options.catalog.nextVersion();
    let summary: DatasetFileSummary | undefined;
    await publishVersion({
      datasetsDir: options.datasetsDir,
      slug: spec.dataset.slug,
      version,
      write: async (tmpPath) => {
        progress({ phase: "write", done: counts.rowsOut });
        summary = await prepared.write(tmpPath, options.locations);
        if (summary.observations === 0) throw new Error(noObservationMessage());
      },
      commit: (filePath) => {
        progress({ phase: "publish", done: counts.rowsOut });
        options.catalog.commit({
          version,
          filePath,
          summary: summary as DatasetFileSummary,
          periodStart: outcome.periodStart,
          periodEnd: outcome.periodEnd,
          locationsCovered: outcome.locationsCovered,
        });
      },
    });
    Object.assign(timings, prepared.timings);
    return finish("succeeded", version, null);
  }

  function noObservationMessage(): string {
    return `${sourceName(spec)}: no observation could be made (${counts.rowsIn} rows read, ${counts.rowsRejected} rejected, ${counts.skippedBlank} blank): nothing was published`;
  }
}
