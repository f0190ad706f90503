import { createHash } from "node:crypto";
import path from "node:path";
import type { Catalog } from "../../connectors/core/catalog.ts";
import { ensureSlice, sliceFilePath } from "../../connectors/publish/index.ts";
import type { Db } from "../../db/index.ts";
import { accessControl } from "./access.server.ts";
import type { PolicyUser } from "./policy.ts";

export type ReadableFile =
  | { allowed: false }
  | {
      allowed: true;
      /** The version file, or the slice holding only the permitted locations' rows. */
      filePath: string;
      locationPaths: string[] | null;
      /** "all", or a short hash naming the restriction: part of cache keys and ETags. */
      accessKey: string;
    };

export function accessKeyOf(locationPaths: readonly string[] | null): string {
  if (locationPaths === null) return "all";
  return createHash("sha256").update(JSON.stringify(locationPaths)).digest("hex").slice(0, 16);
}

/**
 * The file `user` may read for one version of a dataset: the whole version file, or (restricted users) the slice for
 * their restriction, built with native DuckDB on first request and cached per version × restriction. Every reader of
 * dataset rows goes through here (file route, exports), so the browser and the exports see the same rows.
 */
export async function readableFile(
  services: { database: { db: Db }; catalog: Catalog },
  user: PolicyUser,
  dataset: { id: string; ownerId: string | null },
  version: { fileName: string },
): Promise<ReadableFile> {
  const access = accessControl(services).datasetAccess(user, dataset);
  if (!access.allowed) return { allowed: false };
  const versionFile = path.join(services.catalog.datasetsDir, version.fileName);
  if (access.locationPaths === null) {
    return { allowed: true, filePath: versionFile, locationPaths: null, accessKey: "all" };
  }
  const filePath = await sliceOnce(versionFile, access.locationPaths);
  resolvedAt.set(filePath, Date.now());
  return { allowed: true, filePath, locationPaths: access.locationPaths, accessKey: accessKeyOf(access.locationPaths) };
}

const building = new Map<string, Promise<string>>();
/** When each slice file was last handed to a caller (the sweeper keeps those a caller may be about to open). */
const resolvedAt = new Map<string, number>();
/** Slice files being built now: renamed into place before their builder hands them out. */
const inBuild = new Set<string>();

/** Slice files being built, or handed to a caller within the last `withinMs`. */
export function recentlyResolvedSlices(withinMs: number): Set<string> {
  const since = Date.now() - withinMs;
  for (const [file, at] of resolvedAt) if (at < since) resolvedAt.delete(file);
  return new Set([...resolvedAt.keys(), ...inBuild]);
}

/** ensureSlice, with concurrent requests for one slice (DuckDB-WASM's HEAD and first ranges) sharing one build. */
function sliceOnce(versionFile: string, locationPaths: string[]): Promise<string> {
  const key = `${versionFile}\n${accessKeyOf(locationPaths)}`;
  const file = sliceFilePath(versionFile, locationPaths);
  resolvedAt.set(file, Date.now());
  let pending = building.get(key);
  if (!pending) {
    inBuild.add(file);
    pending = ensureSlice(versionFile, locationPaths).finally(() => {
      resolvedAt.set(file, Date.now());
      inBuild.delete(file);
      building.delete(key);
    });
    building.set(key, pending);
  }
  return pending;
}

/** The datasets `user` may read (for lists): deny by default, decided per dataset. */
export function readableDatasetsOf<D extends { id: string; ownerId: string | null }>(
  services: { database: { db: Db } },
  user: PolicyUser,
  datasets: readonly D[],
): D[] {
  const access = accessControl(services);
  return datasets.filter((d) => access.datasetAccess(user, d).allowed);
}
