/**
 * Notebook rows (title, owner, archive state) and who may do what with them. The notebook's CONTENT is its Yjs document,
 * stored by collab/ (snapshot + updates); this module never reads or writes it, except to stamp `updated_at` when the
 * document changes (see touch()).
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db, Role } from "../../db/index.ts";
import { groupMembers, users } from "../../db/schema/auth.ts";
import { notebookMembers, notebooks } from "../../db/schema/notebooks.ts";

/** What a user is to one notebook. Admins may open and manage every notebook. */
export type NotebookRole = "owner" | "admin" | "editor" | "viewer";

export interface NotebookSummary {
  id: string;
  title: string;
  ownerId: string;
  ownerName: string;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

export interface ListOptions {
  /** Part of the title, case-insensitive. */
  search?: string;
  /** "mine": owned by the user; "shared": shared with them; "all": both (admins: every notebook). */
  owner?: "mine" | "shared" | "all";
  archived?: boolean;
  limit?: number;
}

export interface Actor {
  id: string;
  role: Role;
}

export const MAX_TITLE_LENGTH = 120;

/** A title as stored: trimmed, inner whitespace collapsed; an error message naming the problem otherwise. */
export function cleanTitle(raw: unknown): { title: string } | { error: "empty" | "too-long" } {
  const title = String(raw ?? "")
    .replace(/\s+/g, " ")
    .trim();
  if (!title) return { error: "empty" };
  if (title.length > MAX_TITLE_LENGTH) return { error: "too-long" };
  return { title };
}

export const canWrite = (role: NotebookRole | null): boolean => role === "owner" || role === "admin" || role === "editor";
export const canManage = (role: NotebookRole | null): boolean => role === "owner" || role === "admin";

export function createNotebookStore(db: Db, now: () => Date = () => new Date()) {
  const summary = {
    id: notebooks.id,
    title: notebooks.title,
    ownerId: notebooks.ownerId,
    ownerName: users.name,
    createdAt: notebooks.createdAt,
    updatedAt: notebooks.updatedAt,
    archivedAt: notebooks.archivedAt,
  };

  /** Ids of notebooks shared with the user directly or through one of their groups. */
  function sharedIds(userId: string): SQL {
    const groupIds = db.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, userId));
    return sql`${notebooks.id} IN (${db
      .select({ id: notebookMembers.notebookId })
      .from(notebookMembers)
      .where(or(eq(notebookMembers.userId, userId), inArray(notebookMembers.groupId, groupIds)))})`;
  }

  const store = {
    create(owner: Actor, title: string): NotebookSummary {
      const id = randomUUID();
      const at = now();
      db.insert(notebooks).values({ id, title, ownerId: owner.id, createdAt: at, updatedAt: at }).run();
      return store.get(id) as NotebookSummary;
    },

    get(id: string): NotebookSummary | undefined {
      return db
        .select(summary)
        .from(notebooks)
        .innerJoin(users, eq(users.id, notebooks.ownerId))
        .where(eq(notebooks.id, id))
        .get();
    },

    /** Recently changed first. */
    list(actor: Actor, options: ListOptions = {}): NotebookSummary[] {
      const owner = options.owner ?? "all";
      const visible =
        owner === "mine"
          ? eq(notebooks.ownerId, actor.id)
          : owner === "shared"
            ? and(sharedIds(actor.id), sql`${notebooks.ownerId} <> ${actor.id}`)
            : actor.role === "admin"
              ? undefined
              : or(eq(notebooks.ownerId, actor.id), sharedIds(actor.id));
      const search = options.search?.trim();
      // LIKE wildcards in the user's text are matched literally.
      const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
      return db
        .select(summary)
        .from(notebooks)
        .innerJoin(users, eq(users.id, notebooks.ownerId))
        .where(
          and(
            visible,
            options.archived ? isNotNull(notebooks.archivedAt) : isNull(notebooks.archivedAt),
            pattern ? sql`${notebooks.title} LIKE ${pattern} ESCAPE '\\' COLLATE NOCASE` : undefined,
          ),
        )
        .orderBy(desc(notebooks.updatedAt), desc(notebooks.createdAt))
        .limit(options.limit ?? 200)
        .all();
    },

    /** The actor's role on the notebook, or null (no access, or no such notebook). */
    roleOf(actor: Actor, notebookId: string): NotebookRole | null {
      const row = db.select({ ownerId: notebooks.ownerId }).from(notebooks).where(eq(notebooks.id, notebookId)).get();
      if (!row) return null;
      if (row.ownerId === actor.id) return "owner";
      if (actor.role === "admin") return "admin";
      const groupIds = db.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, actor.id));
      const roles = db
        .select({ role: notebookMembers.role })
        .from(notebookMembers)
        .where(
          and(
            eq(notebookMembers.notebookId, notebookId),
            or(eq(notebookMembers.userId, actor.id), inArray(notebookMembers.groupId, groupIds)),
          ),
        )
        .all();
      if (roles.some((r) => r.role === "editor")) return "editor";
      return roles.length > 0 ? "viewer" : null;
    },

    /** Shares the notebook with a user (replacing their previous role). The sharing dialog's issue builds on this. */
    setMember(notebookId: string, userId: string, role: "editor" | "viewer"): void {
      db.transaction((tx) => {
        tx.delete(notebookMembers)
          .where(and(eq(notebookMembers.notebookId, notebookId), eq(notebookMembers.userId, userId)))
          .run();
        tx.insert(notebookMembers).values({ id: randomUUID(), notebookId, userId, role }).run();
      });
    },

    /** Users with a role on the notebook other than through being an admin: the owner, members, members' groups. */
    participants(notebookId: string): string[] {
      const owner = db.select({ id: notebooks.ownerId }).from(notebooks).where(eq(notebooks.id, notebookId)).get();
      const members = db
        .select({ userId: notebookMembers.userId, groupId: notebookMembers.groupId })
        .from(notebookMembers)
        .where(eq(notebookMembers.notebookId, notebookId))
        .all();
      const groupIds = members.flatMap((m) => (m.groupId ? [m.groupId] : []));
      const viaGroups = groupIds.length
        ? db.select({ userId: groupMembers.userId }).from(groupMembers).where(inArray(groupMembers.groupId, groupIds)).all()
        : [];
      return [
        ...new Set([
          ...(owner ? [owner.id] : []),
          ...members.flatMap((m) => (m.userId ? [m.userId] : [])),
          ...viaGroups.map((g) => g.userId),
        ]),
      ];
    },

    rename(id: string, title: string): void {
      db.update(notebooks).set({ title, updatedAt: now() }).where(eq(notebooks.id, id)).run();
    },

    setArchived(id: string, archived: boolean): void {
      db.update(notebooks)
        .set({ archivedAt: archived ? now() : null })
        .where(eq(notebooks.id, id))
        .run();
    },

    /** Marks the notebook as changed now (called when its document receives an update), for "recent first". */
    touch(id: string): void {
      db.update(notebooks).set({ updatedAt: now() }).where(eq(notebooks.id, id)).run();
    },
  };
  return store;
}

export type NotebookStore = ReturnType<typeof createNotebookStore>;
