import type { Catalog } from "./catalog.ts";
import type { PipelineSpec } from "./pipeline-spec.ts";
import { type RunOptions, type RunReport, runPipeline } from "./runner.ts";
import type { Progress } from "./types.ts";

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
  const report = await runPipeline(spec, { ...common, catalog: catalog.versionPort(dataset.id, runId) });
  catalog.finishRun(runId, report);
  return { ...report, runId };
}
