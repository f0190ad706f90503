/**
 * Server-side runs of a notebook (report publish, native exports) resolve linked cells here, with the ACTING user's
 * visibility: a linked cell's SQL is its library version's SQL when that user may see the query, and otherwise the cell
 * fails with a message naming it. In the browser this is automatic (the reader's engine has only the reader's datasets,
 * and version.json answers 404 for a hidden query); on the server the acting user is the publisher or the exporter.
 */
import { z } from "zod";
import type { CellData } from "../../collab/index.ts";
import { cellLinkSchema, linkOf } from "./link.ts";
import type { Library } from "./service.server.ts";

export interface ResolvedCells {
  /** The cells, linked ones carrying their library SQL as `source`. */
  cells: CellData[];
  /** Cell id → why the cell cannot run (its query is hidden or gone, or the version does not exist). */
  problems: Map<string, string>;
}

type Person = { id: string; role: "admin" | "analyst" | "viewer" };

export function resolveLinkedCells(library: Library, actor: Person, cells: readonly CellData[]): ResolvedCells {
  const problems = new Map<string, string>();
  const resolved = cells.map((cell) => {
    const link = linkOf(cell);
    if (!link) return cell;
    const label = `cell \`${cell.name || cell.id}\``;
    const query = library.visible(actor, link.queryId);
    if (!query) {
      problems.set(
        cell.id,
        `${label}: its linked library query '${link.queryId}' does not exist or is not visible to you, so it cannot run`,
      );
      return { ...cell, source: "" };
    }
    const version = library.store.version(link.queryId, link.version);
    if (!version) {
      problems.set(cell.id, `${label}: library query '${query.name}' has no version ${link.version}`);
      return { ...cell, source: "" };
    }
    return { ...cell, source: version.sql };
  });
  return { cells: resolved, problems };
}

/** A linked cell named in a server run whose SQL the client assembled (native export): `{cell, queryId, version}`. */
export const exportLinksSchema = z
  .array(z.object({ cell: z.string().min(1).max(200) }).and(cellLinkSchema))
  .max(100)
  .default([]);

const sqlBody = (sql: string) => sql.trim().replace(/[\s;]+$/, "");

/**
 * Checks the linked cells of a client-assembled SQL text against the library with the acting user's visibility: each
 * query must be visible to them, the version must exist, and the text must contain that version's SQL (so what runs is
 * the library's definition). Returns the first problem, naming the cell, or null.
 */
export function checkLinkedSql(library: Library, actor: Person, sql: string, rawLinks: unknown): string | null {
  const parsed = exportLinksSchema.safeParse(rawLinks);
  if (!parsed.success) return `links: ${parsed.error.issues[0]?.message ?? "invalid"}`;
  for (const link of parsed.data) {
    const problem = resolveLinkedCells(library, actor, [
      { id: link.cell, kind: "sql", name: link.cell, source: "", config: { link }, order: "" },
    ]).problems.get(link.cell);
    if (problem) return problem;
    const version = library.store.version(link.queryId, link.version);
    if (version && !sql.includes(sqlBody(version.sql)))
      return `cell \`${link.cell}\`: the SQL sent is not library query '${version.name}' version ${link.version}`;
  }
  return null;
}
