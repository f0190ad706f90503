import { randomUUID } from "node:crypto";
import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { schema } from "../../db/index.ts";

export class GroupError extends Error {
  constructor(
    readonly code: "name-taken" | "name-invalid" | "not-found",
    message: string,
  ) {
    super(message);
  }
}

export interface GroupSummary {
  id: string;
  name: string;
  members: number;
}

const MAX_NAME = 100;

function cleanName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, " ");
  if (!trimmed || trimmed.length > MAX_NAME) {
    throw new GroupError("name-invalid", `group name '${name}' must be 1–${MAX_NAME} characters`);
  }
  return trimmed;
}

/** Groups of users: named sets that dataset grants and notebook roles can be given to. */
export function createGroups(db: Db) {
  const { groups, groupMembers, users } = schema;
  const byId = (id: string) => db.select().from(groups).where(eq(groups.id, id)).get();
  const byName = (name: string) => db.select().from(groups).where(eq(groups.name, name)).get();

  function requireGroup(id: string) {
    const group = byId(id);
    if (!group) throw new GroupError("not-found", `group ${id} does not exist`);
    return group;
  }

  return {
    byId,
    byName,
    list(): GroupSummary[] {
      return db
        .select({ id: groups.id, name: groups.name, members: count(groupMembers.userId) })
        .from(groups)
        .leftJoin(groupMembers, eq(groupMembers.groupId, groups.id))
        .groupBy(groups.id)
        .orderBy(asc(groups.name))
        .all();
    },
    create(name: string): { id: string; name: string } {
      const clean = cleanName(name);
      if (byName(clean)) throw new GroupError("name-taken", `a group named '${clean}' already exists`);
      const id = randomUUID();
      db.insert(groups).values({ id, name: clean }).run();
      return { id, name: clean };
    },
    /** Renames group `id`; returns the old name (for the audit log). */
    rename(id: string, name: string): { from: string; to: string } {
      const group = requireGroup(id);
      const clean = cleanName(name);
      const other = byName(clean);
      if (other && other.id !== id) throw new GroupError("name-taken", `a group named '${clean}' already exists`);
      db.update(groups).set({ name: clean }).where(eq(groups.id, id)).run();
      return { from: group.name, to: clean };
    },
    members(groupId: string): { id: string; email: string; name: string }[] {
      return db
        .select({ id: users.id, email: users.email, name: users.name })
        .from(groupMembers)
        .innerJoin(users, eq(users.id, groupMembers.userId))
        .where(eq(groupMembers.groupId, groupId))
        .orderBy(asc(users.email))
        .all();
    },
    /** Adds a member; false when they already were one. */
    addMember(groupId: string, userId: string): boolean {
      requireGroup(groupId);
      const result = db.insert(groupMembers).values({ groupId, userId }).onConflictDoNothing().run();
      return result.changes > 0;
    },
    /** Removes a member; false when they were not one. */
    removeMember(groupId: string, userId: string): boolean {
      const result = db
        .delete(groupMembers)
        .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
        .run();
      return result.changes > 0;
    },
    groupIdsOf(userId: string): string[] {
      return db
        .select({ id: groupMembers.groupId })
        .from(groupMembers)
        .where(eq(groupMembers.userId, userId))
        .all()
        .map((r) => r.id);
    },
  };
}
export type Groups = ReturnType<typeof createGroups>;
