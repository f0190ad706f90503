import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { groups, users } from "./auth.ts";

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`);

export const LIBRARY_VISIBILITIES = ["private", "group", "workspace"] as const;

/**
 * A reusable query of the library (docs/decisions/0010-query-library.md). Its SQL lives in its versions; the row holds
 * what may change: metadata, visibility, the archive flag, and which version is certified (certification is a fact
 * about a version, but versions are immutable, so it is recorded here: at most one certified version per query).
 */
export const libraryQueries = sqliteTable(
  "library_queries",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    visibility: text("visibility", { enum: LIBRARY_VISIBILITIES }).notNull(),
    /** The group that sees a `group` query. A deleted group leaves it visible to its owner and admins only. */
    groupId: text("group_id").references(() => groups.id, { onDelete: "set null" }),
    latestVersion: integer("latest_version").notNull().default(0),
    certifiedVersion: integer("certified_version"),
    certifiedBy: text("certified_by").references(() => users.id),
    certifiedAt: integer("certified_at", { mode: "timestamp_ms" }),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("library_queries_owner_idx").on(t.ownerId)],
);

export const libraryQueryTags = sqliteTable(
  "library_query_tags",
  {
    queryId: text("query_id")
      .notNull()
      .references(() => libraryQueries.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.queryId, t.tag] }), index("library_query_tags_tag_idx").on(t.tag)],
);

/**
 * One saved version: immutable once written (migration triggers refuse UPDATE, DELETE outside the deletion of the whole
 * query, and version numbers other than the next one). Linked notebook cells point at (query, version).
 */
export const libraryQueryVersions = sqliteTable(
  "library_query_versions",
  {
    queryId: text("query_id")
      .notNull()
      .references(() => libraryQueries.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    sql: text("sql").notNull(),
    /** Input definitions (kernel/parameters) the SQL's `$names` are bound from. */
    parameters: text("parameters", { mode: "json" }).$type<unknown[]>().notNull(),
    /** Slugs of the datasets the SQL reads, from DuckDB's parser at save time. */
    datasets: text("datasets", { mode: "json" }).$type<string[]>().notNull(),
    message: text("message").notNull().default(""),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.queryId, t.version] })],
);
