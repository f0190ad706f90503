/**
 * The query library's JSON routes as the notebook page calls them (app/library/types.ts is the contract). Every answer
 * is parsed with zod before use: it carries other people's content (names, SQL, tags). Failures throw a LibraryError
 * that names the request and keeps the server's `{ error, field }` when there is one.
 */
import { z } from "zod";
import type { QuerySummary, QueryVersionView, QueryVisibility } from "../../../library/types.ts";

export class LibraryError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "LibraryError";
  }
}

const userRef = z.object({ id: z.string(), name: z.string() });

const summarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().default(""),
  tags: z.array(z.string()).default([]),
  owner: userRef,
  visibility: z.enum(["private", "group", "workspace"]),
  groupId: z.string().nullable().default(null),
  latestVersion: z.number().int(),
  certifiedVersion: z.number().int().nullable(),
  archived: z.boolean(),
  datasets: z.array(z.string()).default([]),
  updatedAt: z.string().default(""),
}) satisfies z.ZodType<QuerySummary>;

const versionSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  sql: z.string(),
  parameters: z.array(z.unknown()),
  message: z.string().default(""),
  author: userRef,
  createdAt: z.string(),
  certified: z.boolean(),
  latestVersion: z.number().int(),
  certifiedVersion: z.number().int().nullable(),
}) satisfies z.ZodType<QueryVersionView>;

const errorSchema = z.object({ error: z.string(), field: z.string().nullish() });

async function call<T>(url: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  const what = `${init?.method ?? "GET"} ${url}`;
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { Accept: "application/json", ...init?.headers } });
  } catch (error) {
    throw new LibraryError(`${what}: ${error instanceof Error ? error.message : String(error)}`, 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const refusal = errorSchema.safeParse(body);
    throw new LibraryError(
      refusal.success ? refusal.data.error : `${what}: ${response.status} ${response.statusText}`,
      response.status,
      refusal.success ? (refusal.data.field ?? null) : null,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LibraryError(`${what}: unexpected answer (${issue.path.join(".")}: ${issue.message})`, response.status);
  }
  return parsed.data;
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

const queryUrl = (id: string) => `/queries/${encodeURIComponent(id)}`;

/** One version of a query; a LibraryError with status 404 when the reader may not see it or it is gone. */
export function fetchVersion(id: string, version: number): Promise<QueryVersionView> {
  return call(`${queryUrl(id)}/v/${version}.json`, versionSchema);
}

export function fetchSummary(id: string): Promise<QuerySummary> {
  return call(`${queryUrl(id)}/summary.json`, summarySchema);
}

export async function searchQueries(filter: { q: string; certified: boolean }): Promise<QuerySummary[]> {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set("q", filter.q.trim());
  if (filter.certified) params.set("certified", "1");
  const query = params.size > 0 ? `?${params}` : "";
  return (await call(`/queries/search.json${query}`, z.object({ queries: z.array(summarySchema) }))).queries;
}

export async function myGroups(): Promise<{ id: string; name: string }[]> {
  return (await call("/queries/my-groups.json", z.object({ groups: z.array(z.object({ id: z.string(), name: z.string() })) })))
    .groups;
}

export interface NewQuery {
  name: string;
  description: string;
  tags: string[];
  visibility: QueryVisibility;
  groupId?: string;
  sql: string;
  parameters: unknown[];
  message: string;
}

export function createQuery(query: NewQuery): Promise<{ id: string; version: number }> {
  return call("/queries/new.json", z.object({ id: z.string(), version: z.number().int() }), json(query));
}

/** The library page of a query (for links). */
export const queryPageUrl = (id: string) => queryUrl(id);
