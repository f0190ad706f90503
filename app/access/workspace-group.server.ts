import { eq } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { schema } from "../../db/index.ts";
import { createGrants } from "./grants.server.ts";
import { createGroups } from "./groups.server.ts";

/** The demo's group of every user: the demo datasets are granted to it so the demo accounts can read them. */
export const WORKSPACE_GROUP = "Workspace";

/**
 * Demo mode only: makes sure the "Workspace" group exists, holds every user, and reads each of `datasetSlugs` (a grant is
 * added only to a dataset that has no grant at all, so an admin's own grants and restrictions stay as they left them). Returns the group's id.
 */
export function grantToWorkspace(db: Db, datasetSlugs: readonly string[]): string {
  const groups = createGroups(db);
  const grants = createGrants(db);
  const groupId = groups.byName(WORKSPACE_GROUP)?.id ?? groups.create(WORKSPACE_GROUP).id;
  for (const user of db.select({ id: schema.users.id }).from(schema.users).all()) groups.addMember(groupId, user.id);
  for (const slug of datasetSlugs) {
    const dataset = db.select().from(schema.datasets).where(eq(schema.datasets.slug, slug)).get();
    if (!dataset) continue;
    const hasGrants = db
      .select({ id: schema.datasetGrants.id })
      .from(schema.datasetGrants)
      .where(eq(schema.datasetGrants.datasetId, dataset.id))
      .get();
    if (!hasGrants) grants.add({ datasetId: dataset.id, grantee: { groupId }, locationPaths: null, createdBy: null });
  }
  return groupId;
}

/** Demo mode: a user created later joins the workspace group too (when it exists). */
export function joinWorkspaceGroup(db: Db, userId: string): void {
  const groups = createGroups(db);
  const group = groups.byName(WORKSPACE_GROUP);
  if (group) groups.addMember(group.id, userId);
}
