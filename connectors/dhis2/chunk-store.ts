import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RawRecord } from "../core/types.ts";

/**
 * Keeps each fetched chunk's records, so a run interrupted after some chunks (a crash, a cancel, a lost connection) can
 * resume without fetching them again AND without losing them: a key-only ledger would skip the chunks while the
 * interrupted run's partial dataset file is gone.
 */
export interface ChunkStore {
  load(chunkKey: string): Promise<RawRecord[] | undefined>;
  save(chunkKey: string, records: RawRecord[]): Promise<void>;
  /** Forgets every chunk: called after a successful publish, so the next refresh fetches fresh data. */
  clear(): Promise<void>;
}

/** One JSON file per chunk under `dir`, written atomically (temp file + rename). */
export function fileChunkStore(dir: string): ChunkStore {
  const fileOf = (key: string) => path.join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  return {
    async load(key) {
      try {
        const stored = JSON.parse(await readFile(fileOf(key), "utf8")) as { key: string; records: RawRecord[] };
        return stored.key === key ? stored.records : undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        // A damaged chunk file is fetched again rather than trusted.
        return undefined;
      }
    },
    async save(key, records) {
      await mkdir(dir, { recursive: true });
      const file = fileOf(key);
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ key, records }));
      await rename(tmp, file);
    },
    async clear() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
