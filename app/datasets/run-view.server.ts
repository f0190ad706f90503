import type { AppLoadContext } from "@remix-run/node";

/** A run as its page shows it: the record from the database, with live progress while its process runs. */
export function runView(context: AppLoadContext, runId: string) {
  const { catalog, runs } = context.services;
  const run = catalog.run(runId);
  if (!run) return null;
  const dataset = catalog.listDatasets().find((d) => d.id === run.datasetId);
  const live = runs.get(runId);
  return {
    id: run.id,
    status: run.status,
    dataset: dataset ? { slug: dataset.slug, title: dataset.title } : null,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    rowsIn: live?.progress && run.status === "running" ? live.progress.done : run.rowsIn,
    rowsOut: run.rowsOut,
    rowsRejected: run.rowsRejected,
    phase: run.status === "running" ? (live?.progress?.phase ?? "extract") : null,
    message: live?.progress?.message ?? null,
    version: run.version,
    error: run.error,
    issues: ((run.issues ?? []) as { severity: string; message: string }[]).slice(0, 100),
    unmatched: ((run.unmatched ?? []) as { value: string; parent: string | null; count: number }[]).slice(0, 100),
    timings: run.timings ?? {},
    cancellable: run.status === "running" && Boolean(live),
  };
}
export type RunView = NonNullable<ReturnType<typeof runView>>;
