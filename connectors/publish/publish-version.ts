import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { link, lstat, mkdir, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { fsyncPath } from "./durable-fs.ts";
import { removeDatabaseFile } from "./write-dataset.ts";

/**
 * Atomic publish of one dataset version:
 *   write `<datasetsDir>/<slug>/.tmp-<random>.duckdb` → fsync it → make it `v<version>.duckdb` → fsync the directory →
 *   caller's `commit()` (its catalog rows, one SQLite transaction) → done; if commit throws, the version file is removed.
 * A crash leaves at worst a `.tmp-*` file or a version file the catalog does not know: `cleanupLeftovers` removes both.
 * Readers only ever learn a file name from the catalog, so they never see a partial file.
 */
export interface PublishRequest {
  datasetsDir: string;
  /** Dataset slug: also its SQL name in notebooks, so a plain lowercase identifier. */
  slug: string;
  version: number;
  /** Writes the complete dataset file at `tmpPath` (e.g. with writeDatasetFile) and closes it. */
  write(tmpPath: string): Promise<unknown>;
  /** Records the version in the catalog. Throwing here un-publishes the file. */
  commit(filePath: string): unknown;
}

export interface PublishedVersion {
  filePath: string;
  bytes: number;
}

const SLUG = /^[a-z][a-z0-9_]{0,62}$/;
const VERSION_FILE = /^v(\d+)\.duckdb$/;

export function versionFilePath(datasetsDir: string, slug: string, version: number): string {
  if (!SLUG.test(slug))
    throw new Error(`dataset slug '${slug}' must be lowercase letters, digits and _ (starting with a letter)`);
  if (!Number.isSafeInteger(version) || version < 1)
    throw new Error(`dataset ${slug}: version ${version} is not a positive integer`);
  return path.join(datasetsDir, slug, `v${version}.duckdb`);
}

export async function publishVersion(request: PublishRequest): Promise<PublishedVersion> {
  const finalPath = versionFilePath(request.datasetsDir, request.slug, request.version);
  const slugDir = path.dirname(finalPath);
  await mkdir(slugDir, { recursive: true });
  if (existsSync(finalPath)) throw new Error(`dataset ${request.slug} version ${request.version}: ${finalPath} already exists`);
  const tmpPath = path.join(slugDir, `.tmp-${randomBytes(8).toString("hex")}.duckdb`);
  try {
    await request.write(tmpPath);
    if (existsSync(`${tmpPath}.wal`))
      throw new Error(`dataset file ${tmpPath} was left with a WAL: it was not checkpointed and closed`);
    await fsyncPath(tmpPath);
    await placeWithoutOverwrite(tmpPath, finalPath);
  } catch (error) {
    await removeDatabaseFile(tmpPath);
    throw error;
  }
  await fsyncPath(slugDir);
  try {
    await request.commit(finalPath);
  } catch (error) {
    await rm(finalPath, { force: true });
    await fsyncPath(slugDir);
    throw error;
  }
  return { filePath: finalPath, bytes: (await stat(finalPath)).size };
}

/**
 * `link` fails with EEXIST instead of replacing: two publishers racing for one version number cannot clobber each
 * other's file (the loser would otherwise delete the winner's file when its catalog commit fails). Filesystems without
 * hard links fall back to rename after the existence check.
 */
async function placeWithoutOverwrite(tmpPath: string, finalPath: string): Promise<void> {
  try {
    await link(tmpPath, finalPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new Error(`dataset file ${finalPath} already exists; versions are never overwritten`);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "ENOSYS") throw error;
    if (existsSync(finalPath)) throw new Error(`dataset file ${finalPath} already exists; versions are never overwritten`);
    await rename(tmpPath, finalPath);
    return;
  }
  await unlink(tmpPath);
}

export interface CleanupOptions {
  /**
   * Only remove entries older than this. With 0 (default) call it when no publish can be running (server start);
   * a periodic sweep should pass a margin longer than any publish, or it could remove a file between rename and commit.
   */
  minAgeMs?: number;
}

/**
 * Remove what crashed publishes leave behind in every `<datasetsDir>/<slug>/`: `.tmp-*` entries, version files the catalog
 * does not list (crash between rename and commit), their WALs, and cached slices of such versions.
 * `knownVersionFiles` are paths as the catalog stores them, absolute or relative to `datasetsDir`. Returns what was removed.
 */
export async function cleanupLeftovers(
  datasetsDir: string,
  knownVersionFiles: Iterable<string>,
  options: CleanupOptions = {},
): Promise<string[]> {
  const known = new Set([...knownVersionFiles].map((file) => path.resolve(datasetsDir, file)));
  const cutoff = Date.now() - (options.minAgeMs ?? 0);
  const removed: string[] = [];
  const remove = async (target: string) => {
    const info = await lstat(target).catch(() => null);
    if (!info || info.mtimeMs > cutoff) return;
    await rm(target, { recursive: true, force: true });
    removed.push(target);
  };
  if (!existsSync(datasetsDir)) return removed;
  for (const slugEntry of await readdir(datasetsDir, { withFileTypes: true })) {
    if (!slugEntry.isDirectory()) continue;
    const slugDir = path.join(datasetsDir, slugEntry.name);
    for (const name of await readdir(slugDir)) {
      const full = path.join(slugDir, name);
      if (name.startsWith(".tmp-")) await remove(full);
      else if (VERSION_FILE.test(name) && !known.has(full)) await remove(full);
      else if (name.endsWith(".duckdb.wal") && !known.has(full.slice(0, -".wal".length))) await remove(full);
      else if (name === SLICES_DIR) await cleanupSlices(full, slugDir, known, remove);
    }
    if (removed.some((file) => file.startsWith(slugDir))) await fsyncPath(slugDir);
  }
  return removed;
}

export const SLICES_DIR = "slices";

async function cleanupSlices(
  slicesDir: string,
  slugDir: string,
  known: Set<string>,
  remove: (target: string) => Promise<void>,
): Promise<void> {
  for (const name of await readdir(slicesDir)) {
    const full = path.join(slicesDir, name);
    const base = /^(v\d+)-[0-9a-f]+\.duckdb$/.exec(name);
    if (name.startsWith(".tmp-") || !base || !known.has(path.join(slugDir, `${base[1]}.duckdb`))) await remove(full);
  }
}
