/**
 * What a client may send to create a query, save a version or edit metadata (zod), and the error shape of a refusal:
 * `{ error, field }`, naming the field that is wrong. Parameters are input definitions of kernel/parameters (the same
 * types input cells have), with names unique case-insensitively as DuckDB matches `$name`.
 */
import { z } from "zod";
import { parseDefinitions } from "../../kernel/parameters/index.ts";
import { QUERY_VISIBILITIES } from "./types.ts";

export const MAX_NAME_LENGTH = 120;
export const MAX_SQL_LENGTH = 100_000;

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "a tag cannot be empty")
  .max(40, "a tag is at most 40 characters")
  .regex(/^[^,]+$/, "a tag cannot contain a comma");

const metadataShape = {
  name: z
    .string()
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "a query needs a name").max(MAX_NAME_LENGTH, `a name is at most ${MAX_NAME_LENGTH} characters`)),
  description: z.string().trim().max(5_000, "a description is at most 5,000 characters").default(""),
  tags: z
    .array(tag)
    .max(20, "at most 20 tags")
    .default([])
    .transform((tags) => [...new Set(tags)]),
  visibility: z.enum(QUERY_VISIBILITIES),
  groupId: z.string().min(1).nullish(),
};

const versionShape = {
  sql: z.string().trim().min(1, "the query's SQL is empty").max(MAX_SQL_LENGTH, "the SQL is too long"),
  parameters: z.array(z.unknown()).max(50, "at most 50 parameters").default([]),
  message: z.string().trim().max(500, "a message is at most 500 characters").default(""),
};

const groupNeeded = (value: { visibility: string; groupId?: string | null }, ctx: z.RefinementCtx) => {
  if (value.visibility === "group" && !value.groupId)
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["groupId"], message: "choose the group that sees the query" });
};

export const metadataSchema = z.object(metadataShape).superRefine(groupNeeded);
export const versionSchema = z.object(versionShape);
export const createSchema = z.object({ ...metadataShape, ...versionShape }).superRefine(groupNeeded);

export type MetadataInput = z.output<typeof metadataSchema>;
export type VersionInput = z.output<typeof versionSchema>;
export type CreateInput = z.output<typeof createSchema>;

export interface InputError {
  error: string;
  field: string;
}

export type Parsed<T> = { ok: true; value: T } | ({ ok: false } & InputError);

/** Parses with `schema`, then checks the parameters (when present) as input definitions. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, raw: unknown): Parsed<z.output<S>> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? String(issue.path[0]) : "body";
    return { ok: false, error: `${issue.path.join(".") || "body"}: ${issue.message}`, field };
  }
  const value = parsed.data as z.output<S> & { parameters?: unknown[] };
  if (value.parameters) {
    try {
      value.parameters = parseDefinitions(value.parameters);
    } catch (error) {
      return { ok: false, error: `parameters: ${(error as Error).message}`, field: "parameters" };
    }
  }
  return { ok: true, value };
}

/** "a, b ,c" (a form field) → ["a", "b", "c"]. */
export const splitTags = (text: string): string[] =>
  text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
