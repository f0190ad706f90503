import type { AppLoadContext } from "@remix-run/node";
import { accessControl } from "../access/access.server.ts";
import type { PolicyUser } from "../access/policy.ts";

/**
 * A run as its page shows it: the record from the database, with live progress while its process runs. Null when there
 * is no such run or `user` may not see it: a run (counts, unmatched location names, issues quoting cells) is part of its
 * dataset, so only whoever started it and unrestricted readers of the dataset (app/access) see it.
 */
export function runView(context: AppLoadContext, runId: string, user: PolicyUser) {
  const { catalog, runs } = context.services;
  const run = catalog.run(runId);
  if (!run) return null;
  const dataset = catalog.listDatasets().find((d) => d.id === run.datasetId);
  // Readers restricted to some locations do not see a run: its counts and unmatched names are of every location.
  const access = dataset ? accessControl(context.services).datasetAccess(user, dataset) : null;
  const readable = access ? access.allowed && access.locationPaths === null : user.role === "admin";
  if (!readable && run.triggeredBy !== user.id) return null;
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
