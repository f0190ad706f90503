/**
 * A linked notebook cell: a `sql` cell whose `config.link` names a library query version and whose own source stays
 * empty; its SQL is that version's SQL. Browser-safe (the notebook UI and the server both read links with this).
 */
import { z } from "zod";

export const cellLinkSchema = z.object({
  queryId: z.string().min(1).max(100),
  version: z.number().int().min(1),
});
export type CellLink = z.infer<typeof cellLinkSchema>;

/** The link of a cell (kind + config as read from the Yjs document), or null for an ordinary cell. */
export function linkOf(cell: { kind: string; config: Record<string, unknown> }): CellLink | null {
  if (cell.kind !== "sql" || cell.config.link === undefined || cell.config.link === null) return null;
  const parsed = cellLinkSchema.safeParse(cell.config.link);
  return parsed.success ? parsed.data : null;
}
