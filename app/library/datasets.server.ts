/**
 * Which datasets a query's SQL reads: the schemas of its table references (DuckDB's own parser, as reports use), kept
 * when they name a known dataset. Computed once per saved version and stored with it (versions are immutable).
 */
import { tableRefsOf } from "../reports/table-refs.server.ts";

export type DatasetsOf = { ok: true; datasets: string[] } | { ok: false; message: string };

export async function datasetsOf(sql: string, knownSlugs: readonly string[]): Promise<DatasetsOf> {
  const refs = await tableRefsOf(sql);
  if (!refs.ok) return { ok: false, message: refs.message };
  const slugs = new Map(knownSlugs.map((s) => [s.toLowerCase(), s]));
  const found = new Set<string>();
  for (const ref of refs.tables) {
    const slug = ref.schema ? slugs.get(ref.schema.toLowerCase()) : undefined;
    if (slug) found.add(slug);
  }
  return { ok: true, datasets: [...found].sort() };
}
