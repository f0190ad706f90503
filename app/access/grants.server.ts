import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { schema } from "../../db/index.ts";
import { normalizeLocationPaths } from "./policy.ts";

export type Grantee = { userId: string } | { groupId: string };

export interface GrantView {
  id: string;
  kind: "user" | "group";
  granteeId: string;
  /** The user's email or the group's name. */
  granteeLabel: string;
  locationPaths: string[] | null;
  createdAt: string;
}

/** Per-dataset read grants to a user or a group, optionally restricted to location subtrees. */
export function createGrants(db: Db) {
  const { datasetGrants: g, users, groups, groupMembers } = schema;
  return {
    /** Adds a grant; `locationPaths` null = every row, otherwise a non-empty list of "/root/…/id" subtrees. */
    add(input: { datasetId: string; grantee: Grantee; locationPaths: readonly string[] | null; createdBy: string | null }) {
      const paths = input.locationPaths === null ? null : normalizeLocationPaths(input.locationPaths);
      if (paths !== null && paths.length === 0) throw new Error("a restricted grant needs at least one location");
      const id = randomUUID();
      db.insert(g)
        .values({
          id,
          datasetId: input.datasetId,
          userId: "userId" in input.grantee ? input.grantee.userId : null,
          groupId: "groupId" in input.grantee ? input.grantee.groupId : null,
          locationPaths: paths,
          createdBy: input.createdBy,
        })
        .run();
      return { id, locationPaths: paths };
    },
    /** Removes grant `id` of dataset `datasetId`; returns the removed row or undefined. */
    remove(datasetId: string, id: string) {
      const row = db
        .select()
        .from(g)
        .where(and(eq(g.id, id), eq(g.datasetId, datasetId)))
        .get();
      if (!row) return undefined;
      db.delete(g).where(eq(g.id, id)).run();
      return row;
    },
    forDataset(datasetId: string): GrantView[] {
      return db
        .select({
          id: g.id,
          userId: g.userId,
          groupId: g.groupId,
          email: users.email,
          groupName: groups.name,
          locationPaths: g.locationPaths,
          createdAt: g.createdAt,
        })
        .from(g)
        .leftJoin(users, eq(users.id, g.userId))
        .leftJoin(groups, eq(groups.id, g.groupId))
        .where(eq(g.datasetId, datasetId))
        .orderBy(asc(g.createdAt))
        .all()
        .map((r) => ({
          id: r.id,
          kind: r.userId ? ("user" as const) : ("group" as const),
          granteeId: (r.userId ?? r.groupId) as string,
          granteeLabel: (r.userId ? r.email : r.groupName) ?? "?",
          locationPaths: r.locationPaths ?? null,
          createdAt: r.createdAt.toISOString(),
        }));
    },
    /** The restrictions of every grant reaching `userId` on `datasetId`: their own and their groups'. Read fresh each time. */
    reaching(userId: string, datasetId: string): { locationPaths: string[] | null }[] {
      const memberOf = db.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, userId));
      return db
        .select({ locationPaths: g.locationPaths })
        .from(g)
        .where(and(eq(g.datasetId, datasetId), or(eq(g.userId, userId), inArray(g.groupId, memberOf))))
        .all()
        .map((r) => ({ locationPaths: r.locationPaths ?? null }));
    },
  };
}
export type Grants = ReturnType<typeof createGrants>;
