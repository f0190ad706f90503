/**
 * Dataset files known to an engine and whether the current database has ATTACHed them. attach() only records the URL;
 * the file is registered and attached read-only the first time SQL names `slug.` — a notebook that never reads a
 * dataset never touches its file. Only our own generated names and validated slugs enter the ATTACH text.
 */
import type { ConnectionAdapter, DatabaseAdapter } from "./adapter.ts";
import { EngineError, parseDuckDBError } from "./errors.ts";
import { qualifiers, quoteIdentifier, type Token } from "./sql-tokens.ts";

const SLUG = /^[a-z][a-z0-9_]*$/; // validates a slug we are given; SQL is never read with patterns

export class DatasetRegistry {
  private readonly registered = new Map<string, { url: string; file: string }>();
  private attached = new Map<string, Promise<void>>();
  private fileCounter = 0;

  /** Records `url` under `slug`; returns true when a different file was attached under it and must be detached. */
  register(slug: string, url: string): { changed: boolean; mustDetach: boolean } {
    const key = slug.toLowerCase();
    if (!SLUG.test(key))
      throw new EngineError(`Dataset slug \`${slug}\` must start with a letter and hold only a-z, 0-9 and _`, "input");
    const current = this.registered.get(key);
    if (current?.url === url) return { changed: false, mustDetach: false };
    this.registered.set(key, { url, file: `dataset_${key}_${++this.fileCounter}.duckdb` });
    const mustDetach = current !== undefined && this.attached.has(key);
    this.attached.delete(key);
    return { changed: true, mustDetach };
  }

  slugs(): string[] {
    return [...this.registered.keys()];
  }

  /** The database was replaced: nothing is attached any more. */
  forgetAttachments(): void {
    this.attached = new Map();
  }

  async ensureAttached(conn: ConnectionAdapter, db: DatabaseAdapter, tokens: Token[]): Promise<void> {
    for (const slug of qualifiers(tokens)) {
      const dataset = this.registered.get(slug);
      if (!dataset) continue;
      let attaching = this.attached.get(slug);
      if (!attaching) {
        attaching = (async () => {
          await db.registerFileURL(dataset.file, dataset.url);
          await conn.run(`ATTACH '${dataset.file}' AS ${quoteIdentifier(slug)} (READ_ONLY)`);
        })();
        this.attached.set(slug, attaching);
        attaching.catch(() => this.attached.delete(slug));
      }
      try {
        await attaching;
      } catch (error) {
        throw new EngineError(`Dataset \`${slug}\` could not be attached: ${parseDuckDBError(error, "").message}`, "sql");
      }
    }
  }
}
