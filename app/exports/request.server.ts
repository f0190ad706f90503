/** The body of POST /notebooks/:id/export (zod): the cell's SQL, its bound parameter values, the datasets it reads. */
import { z } from "zod";

const scalar = z.union([z.string().max(100_000), z.number().finite(), z.boolean(), z.null()]);

/** `$name` → value; lists bind as DuckDB lists. The same values the browser engine bound. */
export const exportParamsSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([scalar, z.array(scalar).max(100_000)]))
  .default({});

export const exportRequestSchema = z.object({
  /** The cell's name, for the file name and the audit log. */
  cell: z.string().min(1).max(200),
  sql: z.string().min(1).max(200_000),
  params: exportParamsSchema,
  /** Slugs of the datasets the SQL reads (attached read-only under their slug, at their current version). */
  datasets: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "a dataset slug"))
    .max(50)
    .default([]),
  format: z.enum(["parquet", "csv"]).default("parquet"),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

export function parseExportRequest(body: unknown): { ok: true; value: ExportRequest } | { ok: false; message: string } {
  const parsed = exportRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue.path.join(".") || "body"}: ${issue.message}` };
}
