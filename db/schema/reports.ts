import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { groups, users } from "./auth.ts";
import { notebooks } from "./notebooks.ts";

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`);

/** A report published from a notebook; who sees it: workspace, chosen groups, anyone with the link, or nobody. */
export const reports = sqliteTable("reports", {
  id: text("id").primaryKey(),
  notebookId: text("notebook_id").references(() => notebooks.id, { onDelete: "set null" }),
  ownerId: text("owner_id")
    .notNull()
    .references(() => users.id),
  title: text("title").notNull(),
  description: text("description"),
  visibility: text("visibility", { enum: ["workspace", "groups", "link", "nobody"] }).notNull(),
  /** Unguessable token for link-only reports (random, 128 bits or more). */
  linkToken: text("link_token"),
  currentVersion: integer("current_version"),
  views: integer("views").notNull().default(0),
  createdAt: createdAt(),
});

export const reportGroups = sqliteTable(
  "report_groups",
  {
    reportId: text("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.groupId] })],
);

/**
 * One publish: the notebook snapshot and dataset versions it was computed from (pinned), the layout, and each tile's
 * stored result and server-rendered SVG. Earlier versions stay listed.
 */
export const reportVersions = sqliteTable(
  "report_versions",
  {
    id: text("id").primaryKey(),
    reportId: text("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    notebookState: blob("notebook_state", { mode: "buffer" }),
    datasetVersions: text("dataset_versions", { mode: "json" }).$type<Record<string, number>>().notNull(),
    layout: text("layout", { mode: "json" }).$type<unknown>().notNull(),
    tiles: text("tiles", { mode: "json" }).$type<unknown[]>().notNull(),
    publishedBy: text("published_by").references(() => users.id, { onDelete: "set null" }),
    publishedAt: createdAt(),
  },
  (t) => [uniqueIndex("report_versions_unique").on(t.reportId, t.version), index("report_versions_report_idx").on(t.reportId)],
);
