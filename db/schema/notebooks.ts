import { sql } from "drizzle-orm";
import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { groups, users } from "./auth.ts";

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`);

export const notebooks = sqliteTable(
  "notebooks",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("notebooks_owner_idx").on(t.ownerId)],
);

/** Per-notebook roles for users or groups (exactly one of userId, groupId is set). The owner is implicit. */
export const notebookMembers = sqliteTable(
  "notebook_members",
  {
    id: text("id").primaryKey(),
    notebookId: text("notebook_id")
      .notNull()
      .references(() => notebooks.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    groupId: text("group_id").references(() => groups.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["editor", "viewer"] }).notNull(),
  },
  (t) => [index("notebook_members_nb_idx").on(t.notebookId)],
);

/** Yjs updates appended durably before they are broadcast (DESIGN.md decision 4). */
export const notebookUpdates = sqliteTable(
  "notebook_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    notebookId: text("notebook_id")
      .notNull()
      .references(() => notebooks.id, { onDelete: "cascade" }),
    update: blob("update", { mode: "buffer" }).notNull(),
    userId: text("user_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("notebook_updates_nb_idx").on(t.notebookId, t.id)],
);

/** A compacted document state covering every update up to `upToUpdateId`. */
export const notebookSnapshots = sqliteTable("notebook_snapshots", {
  notebookId: text("notebook_id")
    .primaryKey()
    .references(() => notebooks.id, { onDelete: "cascade" }),
  state: blob("state", { mode: "buffer" }).notNull(),
  upToUpdateId: integer("up_to_update_id").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** History: named versions and automatic ones, each a full document state. */
export const notebookVersions = sqliteTable(
  "notebook_versions",
  {
    id: text("id").primaryKey(),
    notebookId: text("notebook_id")
      .notNull()
      .references(() => notebooks.id, { onDelete: "cascade" }),
    name: text("name"),
    automatic: integer("automatic", { mode: "boolean" }).notNull().default(false),
    state: blob("state", { mode: "buffer" }).notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("notebook_versions_nb_idx").on(t.notebookId, t.createdAt)],
);
