/**
 * Library queries in the database: rows, tags, immutable versions, certification, archive, deletion. Visibility is
 * applied here for lists (in SQL) and by callers for single queries (visibility.ts); this module never decides who may
 * change what (actions.server.ts does, before calling it).
 */
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db, Role } from "../../db/index.ts";
import { groupMembers, users } from "../../db/schema/auth.ts";
import { libraryQueries, libraryQueryTags, libraryQueryVersions } from "../../db/schema/library.ts";
import type { QuerySummary, QueryVersionView, QueryVisibility } from "./types.ts";
import type { LibraryReader } from "./visibility.ts";

export type QueryRow = typeof libraryQueries.$inferSelect;

export interface Actor {
  id: string;
  role: Role;
}

export interface SearchFilters {
  /** Part of the name or description, case-insensitive. */
  q?: string;
  tag?: string;
  dataset?: string;
  /** The owner: their id, or part of their name or email. */
  author?: string;
  certified?: boolean;
  /** Include archived queries (hidden otherwise). */
  archived?: boolean;
  limit?: number;
}

export interface NewVersion {
  sql: string;
  parameters: unknown[];
  message: string;
  datasets: string[];
}

export interface Metadata {
  name: string;
  description: string;
  tags: string[];
  visibility: QueryVisibility;
  groupId: string | null;
}

export interface VersionListEntry {
  version: number;
  message: string;
  author: { id: string; name: string };
  createdAt: Date;
  datasets: string[];
}

/** 96 random bits, URL-safe. */
export const newQueryId = () => `q_${randomBytes(12).toString("base64url")}`;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createLibraryStore(db: Db, now: () => Date = () => new Date()) {
  const tagsOf = (queryIds: string[]): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    if (queryIds.length === 0) return map;
    const rows = db
      .select()
      .from(libraryQueryTags)
      .where(inArray(libraryQueryTags.queryId, queryIds))
      .orderBy(asc(libraryQueryTags.tag))
      .all();
    for (const r of rows) map.set(r.queryId, [...(map.get(r.queryId) ?? []), r.tag]);
    return map;
  };

  const summaryColumns = {
    row: libraryQueries,
    ownerName: users.name,
    datasets: libraryQueryVersions.datasets,
  };

  const summarize = (rows: { row: QueryRow; ownerName: string; datasets: string[] | null }[]): QuerySummary[] => {
    const tags = tagsOf(rows.map((r) => r.row.id));
    return rows.map(({ row, ownerName, datasets }) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      tags: tags.get(row.id) ?? [],
      owner: { id: row.ownerId, name: ownerName },
      visibility: row.visibility,
      groupId: row.groupId,
      latestVersion: row.latestVersion,
      certifiedVersion: row.certifiedVersion,
      archived: row.archivedAt !== null,
      datasets: datasets ?? [],
      updatedAt: row.updatedAt.toISOString(),
    }));
  };

  const summaryQuery = () =>
    db
      .select(summaryColumns)
      .from(libraryQueries)
      .innerJoin(users, eq(users.id, libraryQueries.ownerId))
      .leftJoin(
        libraryQueryVersions,
        and(eq(libraryQueryVersions.queryId, libraryQueries.id), eq(libraryQueryVersions.version, libraryQueries.latestVersion)),
      );

  /** The SQL form of visibility.ts canSeeQuery (kept in step by the store's unit tests). */
  function visibleTo(reader: LibraryReader): SQL | undefined {
    if (reader.role === "admin") return undefined;
    const groupIds = db.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, reader.id));
    return or(
      eq(libraryQueries.ownerId, reader.id),
      eq(libraryQueries.visibility, "workspace"),
      and(eq(libraryQueries.visibility, "group"), inArray(libraryQueries.groupId, groupIds)),
    );
  }

  function insertVersion(tx: Pick<Db, "insert" | "update">, queryId: string, version: number, actor: Actor, v: NewVersion) {
    const at = now();
    tx.insert(libraryQueryVersions)
      .values({
        queryId,
        version,
        sql: v.sql,
        parameters: v.parameters,
        datasets: v.datasets,
        message: v.message,
        authorId: actor.id,
        createdAt: at,
      })
      .run();
    tx.update(libraryQueries).set({ latestVersion: version, updatedAt: at }).where(eq(libraryQueries.id, queryId)).run();
  }

  function setTags(tx: Pick<Db, "insert" | "delete">, queryId: string, tags: string[]) {
    tx.delete(libraryQueryTags).where(eq(libraryQueryTags.queryId, queryId)).run();
    for (const tag of new Set(tags)) tx.insert(libraryQueryTags).values({ queryId, tag }).run();
  }

  const store = {
    get(id: string): QueryRow | undefined {
      return db.select().from(libraryQueries).where(eq(libraryQueries.id, id)).get();
    },

    summary(id: string): QuerySummary | undefined {
      const rows = summaryQuery().where(eq(libraryQueries.id, id)).all();
      return summarize(rows)[0];
    },

    /** Queries `reader` may see, matching every given filter; recently changed first. */
    search(reader: LibraryReader, filters: SearchFilters = {}): QuerySummary[] {
      const q = filters.q?.trim();
      const author = filters.author?.trim();
      const tag = filters.tag?.trim().toLowerCase();
      const dataset = filters.dataset?.trim();
      const rows = summaryQuery()
        .where(
          and(
            visibleTo(reader),
            filters.archived ? undefined : isNull(libraryQueries.archivedAt),
            filters.certified ? isNotNull(libraryQueries.certifiedVersion) : undefined,
            q
              ? or(
                  sql`${libraryQueries.name} LIKE ${likePattern(q)} ESCAPE '\\' COLLATE NOCASE`,
                  sql`${libraryQueries.description} LIKE ${likePattern(q)} ESCAPE '\\' COLLATE NOCASE`,
                )
              : undefined,
            author
              ? or(
                  eq(users.id, author),
                  sql`${users.name} LIKE ${likePattern(author)} ESCAPE '\\' COLLATE NOCASE`,
                  sql`${users.email} LIKE ${likePattern(author)} ESCAPE '\\' COLLATE NOCASE`,
                )
              : undefined,
            tag
              ? sql`EXISTS (SELECT 1 FROM ${libraryQueryTags} WHERE ${libraryQueryTags.queryId} = ${libraryQueries.id} AND ${libraryQueryTags.tag} = ${tag})`
              : undefined,
            dataset
              ? sql`EXISTS (SELECT 1 FROM json_each(${libraryQueryVersions.datasets}) WHERE lower(value) = lower(${dataset}))`
              : undefined,
          ),
        )
        .orderBy(desc(libraryQueries.updatedAt), asc(libraryQueries.name))
        .limit(filters.limit ?? 200)
        .all();
      return summarize(rows);
    },

    create(owner: Actor, meta: Metadata, first: NewVersion): { id: string; version: number } {
      const id = newQueryId();
      const at = now();
      db.transaction((tx) => {
        tx.insert(libraryQueries)
          .values({
            id,
            name: meta.name,
            description: meta.description,
            ownerId: owner.id,
            visibility: meta.visibility,
            groupId: meta.visibility === "group" ? meta.groupId : null,
            createdAt: at,
            updatedAt: at,
          })
          .run();
        setTags(tx, id, meta.tags);
        insertVersion(tx, id, 1, owner, first);
      });
      return { id, version: 1 };
    },

    /** Appends version latest+1 (the database refuses any other number, so two concurrent saves cannot collide). */
    addVersion(actor: Actor, queryId: string, v: NewVersion): number {
      return db.transaction((tx) => {
        const row = tx
          .select({ latest: libraryQueries.latestVersion })
          .from(libraryQueries)
          .where(eq(libraryQueries.id, queryId))
          .get();
        if (!row) throw new Error(`library query ${queryId} does not exist`);
        const version = row.latest + 1;
        insertVersion(tx, queryId, version, actor, v);
        return version;
      });
    },

    updateMetadata(queryId: string, meta: Metadata): void {
      db.transaction((tx) => {
        tx.update(libraryQueries)
          .set({
            name: meta.name,
            description: meta.description,
            visibility: meta.visibility,
            groupId: meta.visibility === "group" ? meta.groupId : null,
            updatedAt: now(),
          })
          .where(eq(libraryQueries.id, queryId))
          .run();
        setTags(tx, queryId, meta.tags);
      });
    },

    version(queryId: string, version: number): QueryVersionView | undefined {
      const row = db
        .select({ v: libraryQueryVersions, q: libraryQueries, authorName: users.name })
        .from(libraryQueryVersions)
        .innerJoin(libraryQueries, eq(libraryQueries.id, libraryQueryVersions.queryId))
        .innerJoin(users, eq(users.id, libraryQueryVersions.authorId))
        .where(and(eq(libraryQueryVersions.queryId, queryId), eq(libraryQueryVersions.version, version)))
        .get();
      if (!row) return undefined;
      return {
        id: row.q.id,
        name: row.q.name,
        version: row.v.version,
        sql: row.v.sql,
        parameters: row.v.parameters,
        message: row.v.message,
        author: { id: row.v.authorId, name: row.authorName },
        createdAt: row.v.createdAt.toISOString(),
        certified: row.q.certifiedVersion === row.v.version,
        latestVersion: row.q.latestVersion,
        certifiedVersion: row.q.certifiedVersion,
      };
    },

    /** Newest first. */
    versions(queryId: string): VersionListEntry[] {
      return db
        .select({
          version: libraryQueryVersions.version,
          message: libraryQueryVersions.message,
          authorId: libraryQueryVersions.authorId,
          authorName: users.name,
          createdAt: libraryQueryVersions.createdAt,
          datasets: libraryQueryVersions.datasets,
        })
        .from(libraryQueryVersions)
        .innerJoin(users, eq(users.id, libraryQueryVersions.authorId))
        .where(eq(libraryQueryVersions.queryId, queryId))
        .orderBy(desc(libraryQueryVersions.version))
        .all()
        .map(({ authorId, authorName, ...v }) => ({ ...v, author: { id: authorId, name: authorName } }));
    },

    /** Marks `version` as the certified one (replacing any other), or clears certification with null. */
    setCertified(queryId: string, version: number | null, by: Actor): void {
      db.update(libraryQueries)
        .set(
          version === null
            ? { certifiedVersion: null, certifiedBy: null, certifiedAt: null }
            : { certifiedVersion: version, certifiedBy: by.id, certifiedAt: now() },
        )
        .where(eq(libraryQueries.id, queryId))
        .run();
    },

    certification(queryId: string): { version: number; by: { id: string; name: string }; at: Date } | null {
      const row = db
        .select({ version: libraryQueries.certifiedVersion, at: libraryQueries.certifiedAt, byId: users.id, byName: users.name })
        .from(libraryQueries)
        .leftJoin(users, eq(users.id, libraryQueries.certifiedBy))
        .where(eq(libraryQueries.id, queryId))
        .get();
      if (!row || row.version === null || !row.at) return null;
      return { version: row.version, at: row.at, by: { id: row.byId ?? "", name: row.byName ?? "" } };
    },

    setArchived(queryId: string, archived: boolean): void {
      db.update(libraryQueries)
        .set({ archivedAt: archived ? now() : null })
        .where(eq(libraryQueries.id, queryId))
        .run();
    },

    /** Deletes the query with its tags and versions (the versions' triggers allow it only through this parent delete). */
    delete(queryId: string): void {
      db.delete(libraryQueries).where(eq(libraryQueries.id, queryId)).run();
    },

    /** Group ids of a user (for LibraryReader). */
    groupIdsOf(userId: string): string[] {
      return db
        .select({ id: groupMembers.groupId })
        .from(groupMembers)
        .where(eq(groupMembers.userId, userId))
        .all()
        .map((r) => r.id);
    },
  };
  return store;
}

export type LibraryStore = ReturnType<typeof createLibraryStore>;
