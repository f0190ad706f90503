import type { AppLoadContext } from "@remix-run/node";
import { data } from "@remix-run/node";
import { z } from "zod";
import type { SessionUser } from "../auth/sessions.server.ts";
import { accessControl } from "./access.server.ts";

export interface GrantsPanel {
  /** The dataset's slug: the picker searches /datasets/<slug>/grant-locations.json. */
  slug: string;
  grants: { id: string; kind: "user" | "group"; label: string; locations: string[] | null }[];
  users: { id: string; email: string }[];
  groups: { id: string; name: string }[];
  /** The hierarchy's levels, for the picker's level filter; the locations themselves are searched (grant-locations.json). */
  levels: { level: number; name: string }[];
}

/** What the dataset page's grants section shows; null for readers who may not manage the dataset's grants. */
export function grantsPanel(
  context: AppLoadContext,
  user: SessionUser,
  dataset: { id: string; slug: string; ownerId: string | null },
): GrantsPanel | null {
  const access = accessControl(context.services);
  if (!access.mayManageGrants(user, dataset)) return null;
  const hierarchy = context.services.catalog.hierarchy();
  const nameByPath = new Map(hierarchy.map((l) => [l.path, l.name]));
  return {
    slug: dataset.slug,
    grants: access.grants.forDataset(dataset.id).map((g) => ({
      id: g.id,
      kind: g.kind,
      label: g.granteeLabel,
      locations: g.locationPaths?.map((p) => nameByPath.get(p) ?? p) ?? null,
    })),
    users: context.services.accounts
      .list()
      .filter((u) => !u.disabledAt)
      .map((u) => ({ id: u.id, email: u.email })),
    groups: access.groups.list().map((g) => ({ id: g.id, name: g.name })),
    levels: [...new Map(hierarchy.map((l) => [l.level, l.level_name]))]
      .sort((a, b) => a[0] - b[0])
      .map(([level, name]) => ({ level, name })),
  };
}

const grantForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("grant.add"),
    grantee: z.string().regex(/^(user|group):[\w-]+$/),
    locations: z.array(z.string().min(2).max(2000)).max(200),
  }),
  z.object({ intent: z.literal("grant.remove"), grantId: z.string().min(1).max(100) }),
]);

export type GrantResult = { ok: true; message: "added" | "removed" } | { ok: false; error: "invalid" | "notFound" };

/**
 * The dataset page's grant actions: admins and the dataset's owner add a read grant (all rows, or only the chosen
 * location subtrees) or remove one. Everyone else gets 403. Each change is in the audit log.
 */
export function grantAction(
  context: AppLoadContext,
  user: SessionUser,
  dataset: { id: string; slug: string; ownerId: string | null },
  form: FormData,
) {
  const access = accessControl(context.services);
  if (!access.mayManageGrants(user, dataset)) {
    throw new Response("Only an admin or the dataset's owner can change its grants.", { status: 403 });
  }
  const parsed = grantForm.safeParse({
    intent: form.get("intent"),
    grantee: form.get("grantee"),
    grantId: form.get("grantId"),
    locations: form.getAll("locations").filter((v): v is string => typeof v === "string" && v !== ""),
  });
  if (!parsed.success) return data<GrantResult>({ ok: false, error: "invalid" }, { status: 400 });
  const input = parsed.data;
  const record = (action: string, detail: Record<string, unknown>) =>
    context.services.audit.record({ actor: user, action, target: dataset.slug, detail, ip: context.clientIp });

  if (input.intent === "grant.remove") {
    const removed = access.grants.remove(dataset.id, input.grantId);
    if (!removed) return data<GrantResult>({ ok: false, error: "notFound" }, { status: 404 });
    context.services.slices.schedule();
    record("grant.remove", {
      grant: removed.id,
      userId: removed.userId,
      groupId: removed.groupId,
      locationPaths: removed.locationPaths ?? null,
    });
    return data<GrantResult>({ ok: true, message: "removed" });
  }

  const [kind, id] = input.grantee.split(":") as ["user" | "group", string];
  const grantee = kind === "user" ? context.services.accounts.byId(id) : access.groups.byId(id);
  // Only locations of the workspace hierarchy: a typed path that matches nothing would be a silent grant of nothing.
  const known = new Set(context.services.catalog.hierarchy().map((l) => l.path));
  if (!grantee || input.locations.some((p) => !known.has(p))) {
    return data<GrantResult>({ ok: false, error: "invalid" }, { status: 400 });
  }
  const added = access.grants.add({
    datasetId: dataset.id,
    grantee: kind === "user" ? { userId: id } : { groupId: id },
    locationPaths: input.locations.length ? input.locations : null,
    createdBy: user.id,
  });
  // A new grant can change someone's restriction, leaving their previous slice unreachable.
  context.services.slices.schedule();
  record("grant.add", {
    grant: added.id,
    [kind === "user" ? "user" : "group"]: "email" in grantee ? grantee.email : grantee.name,
    locationPaths: added.locationPaths,
  });
  return data<GrantResult>({ ok: true, message: "added" });
}
