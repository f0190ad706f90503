import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { groups, users } from "./auth.ts";
import { datasets } from "./datasets.ts";

/**
 * A read grant on a dataset to a user or a group (exactly one of them). `locationPaths` null = every row; otherwise the
 * grantee may read only observations under those location subtrees ("/root/district"), served as a slice file.
 */
export const datasetGrants = sqliteTable(
  "dataset_grants",
  {
    id: text("id").primaryKey(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    groupId: text("group_id").references(() => groups.id, { onDelete: "cascade" }),
    locationPaths: text("location_paths", { mode: "json" }).$type<string[] | null>(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [index("dataset_grants_dataset_idx").on(t.datasetId)],
);
