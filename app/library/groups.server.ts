/** The groups a user may give a query to: their own groups; admins, every group. */
import { asc, eq } from "drizzle-orm";
import { type Db, schema } from "../../db/index.ts";

export function groupsForPicker(db: Db, user: { id: string; role: string }): { id: string; name: string }[] {
  const { groups, groupMembers } = schema;
  if (user.role === "admin") return db.select({ id: groups.id, name: groups.name }).from(groups).orderBy(asc(groups.name)).all();
  return db
    .select({ id: groups.id, name: groups.name })
    .from(groups)
    .innerJoin(groupMembers, eq(groupMembers.groupId, groups.id))
    .where(eq(groupMembers.userId, user.id))
    .orderBy(asc(groups.name))
    .all();
}
