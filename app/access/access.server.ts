import type { Db } from "../../db/index.ts";
import { createGrants } from "./grants.server.ts";
import { createGroups } from "./groups.server.ts";
import { type DatasetAccess, decideDatasetAccess, type PolicyDataset, type PolicyUser } from "./policy.ts";

/** Groups, grants and the one dataset policy, over the app's database. */
export function createAccessControl(db: Db) {
  const groups = createGroups(db);
  const grants = createGrants(db);
  return {
    groups,
    grants,
    /** Decided from the database on every call: a removed grant takes effect on the very next request. */
    datasetAccess(user: PolicyUser, dataset: PolicyDataset & { id: string }): DatasetAccess {
      if (user.role === "admin" || (dataset.ownerId !== null && dataset.ownerId === user.id)) {
        return decideDatasetAccess(user, dataset, []);
      }
      return decideDatasetAccess(user, dataset, grants.reaching(user.id, dataset.id));
    },
    /** Only admins and the dataset's owner manage its grants. */
    mayManageGrants(user: PolicyUser, dataset: PolicyDataset): boolean {
      return user.role === "admin" || (dataset.ownerId !== null && dataset.ownerId === user.id);
    },
  };
}
export type AccessControl = ReturnType<typeof createAccessControl>;

const cache = new WeakMap<Db, AccessControl>();

/** The access control of the app's database (stateless apart from the db handle, so one per db is plenty). */
export function accessControl(services: { database: { db: Db } }): AccessControl {
  let found = cache.get(services.database.db);
  if (!found) {
    found = createAccessControl(services.database.db);
    cache.set(services.database.db, found);
  }
  return found;
}
