import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Catalog } from "../../connectors/core/catalog.ts";
import { sliceFilePath } from "../../connectors/publish/index.ts";
import type { Db } from "../../db/index.ts";
import { schema } from "../../db/index.ts";
import { accessControl } from "./access.server.ts";
import { recentlyResolvedSlices } from "./dataset-files.server.ts";

/** Slice files resolved for a request this recently are kept: the request may not have opened the file yet. */
export const SLICE_PIN_MS = 2_000;

/**
 * Slice files (row-level access, app/access/dataset-files) are built per dataset version × restriction and never
 * changed, so a new version or a changed grant leaves the old ones behind. A slice is reachable while it is the current
 * version's slice of a restriction some user has now; every other slice file is deleted. A slice someone asks for again
 * later (an old version by its URL) is simply rebuilt.
 *
 * Deleting is safe for a download in progress: it holds the file open and Linux keeps an unlinked file until it is
 * closed. What must not happen is deleting between the moment a request chose the file and the moment it opens it:
 * slices resolved in the last SLICE_PIN_MS are kept, and `.tmp-*` files (slices being built) are left to the start-up
 * cleanup.
 */
export async function sweepSlices(services: {
  database: { db: Db };
  catalog: Catalog;
}): Promise<{ removed: string[]; deferred: number }> {
  const { catalog } = services;
  const live = liveSlices(services);
  const pinned = recentlyResolvedSlices(SLICE_PIN_MS);
  const removed: string[] = [];
  let deferred = 0;
  // Where each dataset's versions keep their slices (beside the version files).
  const slicesDirs = new Set(
    catalog
      .listDatasets()
      .flatMap((d) => catalog.versions(d.id))
      .map((v) => path.dirname(sliceFilePath(path.join(catalog.datasetsDir, v.fileName), []))),
  );
  for (const slicesDir of slicesDirs) {
    if (!existsSync(slicesDir)) continue;
    for (const name of await readdir(slicesDir)) {
      const file = path.join(slicesDir, name);
      if (name.startsWith(".tmp-") || !name.endsWith(".duckdb") || live.has(file)) continue;
      if (pinned.has(file)) {
        deferred++;
        continue;
      }
      await rm(file, { force: true });
      removed.push(file);
    }
  }
  return { removed, deferred };
}

/** The slice file of each restriction any user has now on each dataset's current version. */
function liveSlices(services: { database: { db: Db }; catalog: Catalog }): Set<string> {
  const { catalog } = services;
  const { db } = services.database;
  const access = accessControl(services);
  const users = new Map(
    db
      .select({ id: schema.users.id, role: schema.users.role, disabledAt: schema.users.disabledAt })
      .from(schema.users)
      .all()
      .filter((u) => !u.disabledAt)
      .map((u) => [u.id, u]),
  );
  const membersOf = (groupId: string) =>
    db
      .select({ id: schema.groupMembers.userId })
      .from(schema.groupMembers)
      .where(eq(schema.groupMembers.groupId, groupId))
      .all()
      .map((m) => m.id);
  const live = new Set<string>();
  for (const dataset of catalog.listDatasets()) {
    const current = dataset.currentVersion === null ? undefined : catalog.version(dataset.id, dataset.currentVersion);
    if (!current) continue;
    const versionFile = path.join(catalog.datasetsDir, current.fileName);
    // Only users some grant of this dataset reaches can be restricted on it (everyone else reads all rows or none).
    const reached = new Set<string>();
    for (const grant of db.select().from(schema.datasetGrants).where(eq(schema.datasetGrants.datasetId, dataset.id)).all()) {
      if (grant.userId) reached.add(grant.userId);
      if (grant.groupId) for (const id of membersOf(grant.groupId)) reached.add(id);
    }
    for (const id of reached) {
      const user = users.get(id);
      const decision = user ? access.datasetAccess(user, dataset) : { allowed: false as const };
      if (decision.allowed && decision.locationPaths !== null) live.add(sliceFilePath(versionFile, decision.locationPaths));
    }
  }
  return live;
}

/**
 * Runs sweepSlices shortly after a change (grant, group membership, publish: `schedule`), and every `intervalMs` for
 * changes made outside this process (the pipeline CLI). Sweeps never overlap; errors are logged, not thrown.
 */
export function createSliceSweeper(
  services: { database: { db: Db }; catalog: Catalog },
  options: { intervalMs?: number; log?: (line: string) => void } = {},
) {
  const log = options.log ?? console.error;
  let running: Promise<void> | null = null;
  let again = false;
  let delayed: NodeJS.Timeout | null = null;
  let closed = false;

  const sweep = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let deferred = 0;
        do {
          again = false;
          ({ deferred } = await sweepSlices(services));
        } while (again && !closed);
        // An unreachable slice still pinned by a request that just resolved it: try again once the pin is over.
        if (deferred > 0) sweeper.schedule();
      } catch (error) {
        log(`slice sweep failed: ${(error as Error).message}`);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const interval = setInterval(() => void sweep(), options.intervalMs ?? 10 * 60_000);
  interval.unref();

  const sweeper = {
    /** Sweeps now (start-up, tests); resolves when done. */
    sweep,
    /** Sweeps once the slices resolved before the change are past their pin. */
    schedule() {
      if (closed || delayed) return;
      delayed = setTimeout(() => {
        delayed = null;
        void sweep();
      }, SLICE_PIN_MS + 250);
      delayed.unref();
    },
    async close() {
      closed = true;
      clearInterval(interval);
      if (delayed) clearTimeout(delayed);
      await running;
    },
  };
  return sweeper;
}
export type SliceSweeper = ReturnType<typeof createSliceSweeper>;
