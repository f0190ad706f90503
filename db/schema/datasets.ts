import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`);

/** A dataset: a slug that notebooks attach it under, and the version currently served. */
export const datasets = sqliteTable("datasets", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  description: text("description"),
  sourceKind: text("source_kind").notNull(),
  ownerId: text("owner_id").references(() => users.id, { onDelete: "set null" }),
  /** The published version readers get; null until the first publish. Changed only inside a publish transaction. */
  currentVersion: integer("current_version"),
  createdAt: createdAt(),
});

/** One published, immutable dataset file. */
export const datasetVersions = sqliteTable(
  "dataset_versions",
  {
    id: text("id").primaryKey(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    fileName: text("file_name").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    rows: integer("rows").notNull(),
    fields: integer("fields").notNull(),
    /** Locations with at least one observation. */
    locations: integer("locations").notNull(),
    periodStart: text("period_start"),
    periodEnd: text("period_end"),
    runId: text("run_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dataset_versions_unique").on(t.datasetId, t.version)],
);

/** A saved source configuration (file mapping, DHIS2 selection…) that "Refresh" re-runs. Secrets are sealed. */
export const sources = sqliteTable("sources", {
  id: text("id").primaryKey(),
  datasetId: text("dataset_id")
    .notNull()
    .references(() => datasets.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  name: text("name").notNull(),
  config: text("config", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
  sealedCredentials: text("sealed_credentials"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** The record of one pipeline run: status, counts, timings and every issue with its place. */
export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    sourceId: text("source_id").references(() => sources.id, { onDelete: "set null" }),
    status: text("status", { enum: ["running", "succeeded", "failed", "cancelled"] }).notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    rowsIn: integer("rows_in").notNull().default(0),
    rowsOut: integer("rows_out").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    version: integer("version"),
    issues: text("issues", { mode: "json" }).$type<unknown[]>(),
    unmatched: text("unmatched", { mode: "json" }).$type<unknown[]>(),
    timings: text("timings", { mode: "json" }).$type<Record<string, number>>(),
    error: text("error"),
    triggeredBy: text("triggered_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("runs_dataset_idx").on(t.datasetId, t.startedAt)],
);

/** The workspace's canonical location hierarchy (org units or an imported table of levels). */
export const locations = sqliteTable(
  "locations",
  {
    id: text("id").primaryKey(),
    code: text("code"),
    name: text("name").notNull(),
    level: integer("level").notNull(),
    levelName: text("level_name").notNull(),
    parentId: text("parent_id"),
    path: text("path").notNull(),
    geometry: text("geometry"),
  },
  (t) => [index("locations_path_idx").on(t.path), index("locations_code_idx").on(t.code)],
);

/** A reviewer's decision on a source location value; applied to later runs. `locationId` null means rejected. */
export const matchDecisions = sqliteTable(
  "match_decisions",
  {
    sourceKey: text("source_key").notNull(),
    locationId: text("location_id"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.sourceKey] })],
);

/** Files uploaded to the dataset wizard, kept until their dataset is published or they expire. */
export const uploads = sqliteTable("uploads", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  fileName: text("file_name").notNull(),
  storedPath: text("stored_path").notNull(),
  sizeBytes: integer("size_bytes").notNull(),
  createdAt: createdAt(),
});
