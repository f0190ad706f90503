/**
 * Who a notebook is shared with (the sharing dialog): users by email and groups, each as editor or viewer. A change
 * takes effect on open sockets at once: someone who lost access is disconnected for good, someone lowered to viewer
 * reconnects and is authorized read-only (the collab server's own re-check every few seconds is the backstop).
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, Role } from "../../db/index.ts";
import { groupMembers, groups, users } from "../../db/schema/auth.ts";
import { notebookMembers } from "../../db/schema/notebooks.ts";
import { canWrite, type NotebookStore } from "./store.server.ts";

export type ShareRole = "editor" | "viewer";

export interface NotebookMember {
  /** The notebook_members row. */
  id: string;
  kind: "user" | "group";
  /** User or group id. */
  principalId: string;
  name: string;
  /** Users only. */
  email: string | null;
  role: ShareRole;
}

/** What sharing needs of the collab server. */
export interface SharingCollab {
  closeUserSockets(userId: string, notebookId?: string, code?: number): number;
}

/** Clients stop reconnecting after 4403 (access is gone); 4000 makes them reconnect and be authorized again. */
const CLOSE_ACCESS_REVOKED = 4403;
const CLOSE_RECONNECT = 4000;

export type ShareError = "unknown-user" | "unknown-group" | "owner" | "viewer-account" | "unknown-member";

export class SharingError extends Error {
  constructor(
    readonly code: ShareError,
    message: string,
  ) {
    super(message);
  }
}

export function createNotebookSharing(db: Db, notebooks: NotebookStore, collab: SharingCollab) {
  function userRows(ids: string[]): { id: string; role: Role }[] {
    return ids.length ? db.select({ id: users.id, role: users.role }).from(users).where(inArray(users.id, ids)).all() : [];
  }

  /** The users a row can give a role to: the user, or the group's members. */
  function affected(member: { userId: string | null; groupId: string | null }): string[] {
    if (member.userId) return [member.userId];
    if (!member.groupId) return [];
    return db
      .select({ id: groupMembers.userId })
      .from(groupMembers)
      .where(eq(groupMembers.groupId, member.groupId))
      .all()
      .map((r) => r.id);
  }

  /** Applies the new roles to open sockets: no role → disconnected; read-only now → reconnect as a viewer. */
  function enforce(notebookId: string, userIds: string[]): void {
    for (const user of userRows(userIds)) {
      const role = notebooks.roleOf(user, notebookId);
      if (!role) collab.closeUserSockets(user.id, notebookId, CLOSE_ACCESS_REVOKED);
      else if (!canWrite(role)) collab.closeUserSockets(user.id, notebookId, CLOSE_RECONNECT);
    }
  }

  const sharing = {
    /** Users first (by name), then groups (by name). */
    members(notebookId: string): NotebookMember[] {
      const people = db
        .select({
          id: notebookMembers.id,
          principalId: users.id,
          name: users.name,
          email: users.email,
          role: notebookMembers.role,
        })
        .from(notebookMembers)
        .innerJoin(users, eq(users.id, notebookMembers.userId))
        .where(eq(notebookMembers.notebookId, notebookId))
        .orderBy(asc(users.name))
        .all()
        .map((m) => ({ ...m, kind: "user" as const }));
      const teams = db
        .select({ id: notebookMembers.id, principalId: groups.id, name: groups.name, role: notebookMembers.role })
        .from(notebookMembers)
        .innerJoin(groups, eq(groups.id, notebookMembers.groupId))
        .where(eq(notebookMembers.notebookId, notebookId))
        .orderBy(asc(groups.name))
        .all()
        .map((m) => ({ ...m, kind: "group" as const, email: null }));
      return [...people, ...teams];
    },

    /** Every group, for the dialog's picker. */
    groups(): { id: string; name: string }[] {
      return db.select({ id: groups.id, name: groups.name }).from(groups).orderBy(asc(groups.name)).all();
    },

    /**
     * Shares with the user who has this email (replacing their previous role). Workspace viewers can only be given
     * read access: their account role says they do not edit.
     */
    shareWithUser(notebookId: string, email: string, role: ShareRole): { userId: string } {
      const normalized = email.trim().toLowerCase();
      const user = db
        .select({ id: users.id, role: users.role, disabledAt: users.disabledAt })
        .from(users)
        .where(eq(users.email, normalized))
        .get();
      if (!user) throw new SharingError("unknown-user", `no user with the email '${normalized}'`);
      if (notebooks.get(notebookId)?.ownerId === user.id)
        throw new SharingError("owner", `'${normalized}' owns notebook ${notebookId} already`);
      if (role === "editor" && user.role === "viewer")
        throw new SharingError("viewer-account", `'${normalized}' has a viewer account and can only be given read access`);
      notebooks.setMember(notebookId, user.id, role);
      enforce(notebookId, [user.id]);
      return { userId: user.id };
    },

    shareWithGroup(notebookId: string, groupId: string, role: ShareRole): void {
      if (!db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId)).get())
        throw new SharingError("unknown-group", `no group with id '${groupId}'`);
      db.transaction((tx) => {
        tx.delete(notebookMembers)
          .where(and(eq(notebookMembers.notebookId, notebookId), eq(notebookMembers.groupId, groupId)))
          .run();
        tx.insert(notebookMembers).values({ id: randomUUID(), notebookId, groupId, role }).run();
      });
      enforce(notebookId, affected({ userId: null, groupId }));
    },

    /** Changes a member row's role (user or group). */
    setRole(notebookId: string, memberId: string, role: ShareRole): NotebookMember {
      const member = sharing.members(notebookId).find((m) => m.id === memberId);
      if (!member) throw new SharingError("unknown-member", `notebook ${notebookId} has no member '${memberId}'`);
      if (member.kind === "user") {
        const account = userRows([member.principalId])[0];
        if (role === "editor" && account?.role === "viewer")
          throw new SharingError("viewer-account", `'${member.email}' has a viewer account and can only be given read access`);
      }
      db.update(notebookMembers).set({ role }).where(eq(notebookMembers.id, memberId)).run();
      enforce(
        notebookId,
        member.kind === "user" ? [member.principalId] : affected({ userId: null, groupId: member.principalId }),
      );
      return { ...member, role };
    },

    /** Removes a member row; the people who lose access are disconnected at once. */
    remove(notebookId: string, memberId: string): NotebookMember {
      const member = sharing.members(notebookId).find((m) => m.id === memberId);
      if (!member) throw new SharingError("unknown-member", `notebook ${notebookId} has no member '${memberId}'`);
      db.delete(notebookMembers).where(eq(notebookMembers.id, memberId)).run();
      enforce(
        notebookId,
        member.kind === "user" ? [member.principalId] : affected({ userId: null, groupId: member.principalId }),
      );
      return member;
    },
  };
  return sharing;
}

export type NotebookSharing = ReturnType<typeof createNotebookSharing>;
