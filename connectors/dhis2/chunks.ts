/**
 * Splitting a large selection into requests of bounded size, and remembering which ones are done so a re-run after an
 * interruption fetches only the rest. Chunk keys are derived from the chunk's content, so the same selection on a re-run
 * yields the same keys regardless of order.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Persisted by the caller (the runner) between runs of one source. */
export interface ChunkLedger {
  isDone(chunkKey: string): boolean | Promise<boolean>;
  done(chunkKey: string): void | Promise<void>;
}

export interface Chunk {
  key: string;
  dx: string[];
  pe: string[];
  ou: string[];
}

export function splitInto<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function chunkKey(kind: string, dx: string[], pe: string[], ou: string[]): string {
  const canonical = [kind, [...dx].sort().join(";"), [...pe].sort().join(";"), [...ou].sort().join(";")].join("|");
  return `${kind}:${createHash("sha256").update(canonical).digest("hex").slice(0, 24)}`;
}

/** Every combination of a data-item chunk, a period chunk and an org-unit chunk; periods vary slowest so output stays sorted by period. */
export function planChunks(
  kind: string,
  selection: { dx: string[]; pe: string[]; ou: string[] },
  sizes: { dataItemsPerChunk: number; periodsPerChunk: number; orgUnitsPerChunk: number },
): Chunk[] {
  const chunks: Chunk[] = [];
  for (const dx of splitInto(selection.dx, sizes.dataItemsPerChunk)) {
    for (const pe of splitInto(selection.pe, sizes.periodsPerChunk)) {
      for (const ou of splitInto(selection.ou, sizes.orgUnitsPerChunk)) {
        chunks.push({ key: chunkKey(kind, dx, pe, ou), dx, pe, ou });
      }
    }
  }
  return chunks;
}

export function memoryLedger(initial: Iterable<string> = []): ChunkLedger & { keys: Set<string> } {
  const keys = new Set(initial);
  return { keys, isDone: (k) => keys.has(k), done: (k) => void keys.add(k) };
}

/**
 * A ledger kept as a JSON array of keys in one file, rewritten atomically (temp file + rename) after each chunk so a
 * crash never leaves it half-written.
 */
export async function jsonFileLedger(path: string): Promise<ChunkLedger & { keys: Set<string> }> {
  let keys = new Set<string>();
  try {
    const parsed = JSON.parse(await readFile(path, "utf8"));
    if (!Array.isArray(parsed?.done)) throw new Error(`chunk ledger ${path}: expected {"done": [...]}`);
    keys = new Set(parsed.done.map(String));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  let writing = Promise.resolve();
  return {
    keys,
    isDone: (k) => keys.has(k),
    done: (k) => {
      keys.add(k);
      writing = writing.then(async () => {
        await mkdir(dirname(path), { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify({ done: [...keys] }));
        await rename(tmp, path);
      });
      return writing;
    },
  };
}
