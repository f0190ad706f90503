import path from "node:path";
import { createDhis2Connector, fileChunkStore } from "../dhis2/index.ts";
import type { Catalog } from "./catalog.ts";
import type { PipelineSpec } from "./pipeline-spec.ts";
import { type RunOptions, type RunReport, runPipeline } from "./runner.ts";
import type { Progress } from "./types.ts";

/** Under the datasets folder: each DHIS2 source's fetched chunks, kept between an interrupted run and its re-run. */
export const DHIS2_CHUNKS_DIR = ".dhis2-chunks";

export interface RecordedRunOptions {
  catalog: Catalog;
  triggeredBy?: string | null;
  /** Re-run of a saved source; a new source row is saved otherwise. */
  sourceId?: string | null;
  mode?: RunOptions["mode"];
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Called once the run row exists, so a caller can show it (and cancel it) while it runs. */
  onStarted?: (ids: { runId: string; datasetId: string; sourceId: string | null }) => void;
  fetch?: typeof fetch;
}

/** A pipeline run with its record: the dataset and source rows, a run row from start to finish, the version on success. */
export async function runRecorded(
  spec: PipelineSpec,
  options: RecordedRunOptions,
): Promise<RunReport & { runId: string | null }> {
  const { catalog } = options;
  const common = {
    datasetsDir: catalog.datasetsDir,
    locations: catalog.hierarchy(),
    decisions: catalog.decisions(),
    signal: options.signal,
    onProgress: options.onProgress,
    fetch: options.fetch,
  };
  if (options.mode === "preview") {
    const nothing = { nextVersion: () => 0, commit: () => {} };
    const report = await runPipeline(spec, { ...common, mode: "preview", catalog: nothing });
    return { ...report, runId: null };
  }
  const dataset = catalog.ensureDataset({
    slug: spec.dataset.slug,
    title: spec.dataset.title,
    description: spec.dataset.description,
    sourceKind: spec.source.kind,
    ownerId: options.triggeredBy ?? null,
  });
  const sourceId =
    options.sourceId ??
    catalog.saveSource({
      datasetId: dataset.id,
      kind: spec.source.kind,
      name: spec.dataset.title,
      config: spec as unknown as Record<string, unknown>,
      createdBy: options.triggeredBy ?? null,
    });
  const runId = catalog.startRun(dataset.id, sourceId, options.triggeredBy ?? null);
  options.onStarted?.({ runId, datasetId: dataset.id, sourceId });
  // A DHIS2 source keeps its fetched chunks until a publish succeeds, so a re-run after an interruption resumes.
  const chunkStore =
    spec.source.kind === "dhis2" ? fileChunkStore(path.join(catalog.datasetsDir, DHIS2_CHUNKS_DIR, sourceId)) : undefined;
  const connector = chunkStore ? createDhis2Connector({ chunkStore }) : undefined;
  const report = await runPipeline(spec, { ...common, connector, catalog: catalog.versionPort(dataset.id, runId) });
  if (report.status === "succeeded") await chunkStore?.clear();
  catalog.finishRun(runId, report);
  return { ...report, runId };
}
