/**
 * What users do to library queries, shared by the JSON routes and the pages' forms: create, save a version, edit
 * metadata, certify, archive, delete. Each checks who may do it (visibility.ts; a hidden query is "not found"),
 * validates input (input.ts) and records the change in the audit log. Results are values, not responses, so each
 * caller answers in its own format.
 */
import type { AppLoadContext } from "@remix-run/node";
import type { SessionUser } from "../auth/sessions.server.ts";
import { createSchema, type MetadataInput, metadataSchema, parseInput, versionSchema } from "./input.ts";
import type { UsageView } from "./service.server.ts";
import type { QueryRow } from "./store.server.ts";
import { canManageQuery, mayCertify, mayCreateQueries } from "./visibility.ts";

export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: 400 | 403 | 404 | 409; error: string; field?: string; usedBy?: UsageView };

const refuse = (status: 400 | 403 | 404 | 409, error: string, field?: string): Outcome<never> => ({
  ok: false,
  status,
  error,
  ...(field ? { field } : {}),
});

function audit(context: AppLoadContext, user: SessionUser, action: string, target: string, detail?: Record<string, unknown>) {
  context.services.audit.record({ actor: user, action, target, detail, ip: context.clientIp });
}

/** The query if visible, and the refusal otherwise: 404 when hidden, 403 when seen but not managed by the user. */
function managed(context: AppLoadContext, user: SessionUser, id: string): QueryRow | Outcome<never> {
  const row = context.services.library.visible(user, id);
  if (!row) return refuse(404, `no library query '${id}'`);
  if (!canManageQuery(user, row)) return refuse(403, "only the query's owner or an admin can change it");
  return row;
}
const isOutcome = (value: QueryRow | Outcome<never>): value is Outcome<never> => "ok" in value;

/** A group the user may give a query to: an existing group, and (unless admin) one of their own. */
function checkGroup(context: AppLoadContext, user: SessionUser, meta: MetadataInput): Outcome<never> | null {
  if (meta.visibility !== "group") return null;
  const groupId = meta.groupId as string;
  const { library } = context.services;
  const exists = context.services.database.sqlite.prepare("SELECT 1 FROM groups WHERE id = ?").get(groupId);
  if (!exists) return refuse(400, `groupId: group '${groupId}' does not exist`, "groupId");
  if (user.role !== "admin" && !library.store.groupIdsOf(user.id).includes(groupId))
    return refuse(400, "groupId: you can share a query only with a group you belong to", "groupId");
  return null;
}

async function datasetsOrRefusal(context: AppLoadContext, sql: string): Promise<string[] | Outcome<never>> {
  const found = await context.services.library.datasetsOf(sql);
  if (!found.ok) return refuse(400, `sql: the SQL does not parse: ${found.message}`, "sql");
  return found.datasets;
}

export async function createQuery(
  context: AppLoadContext,
  user: SessionUser,
  raw: unknown,
): Promise<Outcome<{ id: string; version: number }>> {
  if (!mayCreateQueries(user.role)) return refuse(403, "only analysts and admins can save queries to the library");
  const parsed = parseInput(createSchema, raw);
  if (!parsed.ok) return refuse(400, parsed.error, parsed.field);
  const input = parsed.value;
  const groupProblem = checkGroup(context, user, input);
  if (groupProblem) return groupProblem;
  const datasets = await datasetsOrRefusal(context, input.sql);
  if (!Array.isArray(datasets)) return datasets;
  const created = context.services.library.store.create(
    user,
    { ...input, groupId: input.groupId ?? null },
    { sql: input.sql, parameters: input.parameters, message: input.message, datasets },
  );
  audit(context, user, "library.create", created.id, {
    name: input.name,
    visibility: input.visibility,
    ...(input.visibility === "group" ? { groupId: input.groupId } : {}),
    datasets,
  });
  return { ok: true, value: created };
}

export async function saveVersion(
  context: AppLoadContext,
  user: SessionUser,
  id: string,
  raw: unknown,
): Promise<Outcome<{ version: number }>> {
  const row = managed(context, user, id);
  if (isOutcome(row)) return row;
  const parsed = parseInput(versionSchema, raw);
  if (!parsed.ok) return refuse(400, parsed.error, parsed.field);
  const datasets = await datasetsOrRefusal(context, parsed.value.sql);
  if (!Array.isArray(datasets)) return datasets;
  const version = context.services.library.store.addVersion(user, id, { ...parsed.value, datasets });
  audit(context, user, "library.version", id, { version, message: parsed.value.message, datasets });
  return { ok: true, value: { version } };
}

export function editMetadata(context: AppLoadContext, user: SessionUser, id: string, raw: unknown): Outcome<null> {
  const row = managed(context, user, id);
  if (isOutcome(row)) return row;
  const parsed = parseInput(metadataSchema, raw);
  if (!parsed.ok) return refuse(400, parsed.error, parsed.field);
  const groupProblem = checkGroup(context, user, parsed.value);
  if (groupProblem) return groupProblem;
  context.services.library.store.updateMetadata(id, { ...parsed.value, groupId: parsed.value.groupId ?? null });
  audit(context, user, "library.update", id, {
    name: parsed.value.name,
    visibility: parsed.value.visibility,
    ...(parsed.value.visibility === "group" ? { groupId: parsed.value.groupId } : {}),
  });
  return { ok: true, value: null };
}

/** Certifies `version` (replacing the certified one), or removes certification with null. Admins only. */
export function certify(context: AppLoadContext, user: SessionUser, id: string, version: number | null): Outcome<null> {
  const row = context.services.library.visible(user, id);
  if (!row) return refuse(404, `no library query '${id}'`);
  if (!mayCertify(user.role)) return refuse(403, "only admins can certify library queries");
  if (version !== null && (version < 1 || version > row.latestVersion))
    return refuse(400, `version: query '${row.name}' has no version ${version}`, "version");
  context.services.library.store.setCertified(id, version, user);
  audit(context, user, version === null ? "library.uncertify" : "library.certify", id, {
    version: version ?? row.certifiedVersion,
  });
  return { ok: true, value: null };
}

export function setArchived(context: AppLoadContext, user: SessionUser, id: string, archived: boolean): Outcome<null> {
  const row = managed(context, user, id);
  if (isOutcome(row)) return row;
  context.services.library.store.setArchived(id, archived);
  audit(context, user, archived ? "library.archive" : "library.unarchive", id);
  return { ok: true, value: null };
}

/** Deletes the query and its versions, refused (409, with what uses it as the user may see it) while anything links it. */
export function deleteQuery(context: AppLoadContext, user: SessionUser, id: string): Outcome<null> {
  const row = managed(context, user, id);
  if (isOutcome(row)) return row;
  const { library } = context.services;
  const usage = library.usage(id);
  if (usage.notebooks.length + usage.reports.length > 0) {
    return {
      ok: false,
      status: 409,
      error: `query '${row.name}' is used by ${usage.notebooks.length} notebook(s) and ${usage.reports.length} report(s); archive it instead, or unlink it there first`,
      usedBy: library.viewUsage(user, usage),
    };
  }
  library.store.delete(id);
  audit(context, user, "library.delete", id, { name: row.name, versions: row.latestVersion });
  return { ok: true, value: null };
}
